namespace Duplicity.Backends.Swift;
