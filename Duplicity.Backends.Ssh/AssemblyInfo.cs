namespace Duplicity.Backends.Ssh;
