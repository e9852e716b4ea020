namespace Duplicity.Backends.WebDav;
