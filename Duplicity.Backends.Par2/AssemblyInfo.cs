namespace Duplicity.Backends.Par2;
