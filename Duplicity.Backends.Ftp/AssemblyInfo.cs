namespace Duplicity.Backends.Ftp;
