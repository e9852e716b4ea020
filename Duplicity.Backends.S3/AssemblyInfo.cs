namespace Duplicity.Backends.S3;
