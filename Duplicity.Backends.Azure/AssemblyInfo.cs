namespace Duplicity.Backends.Azure;
