namespace Duplicity.Backends.Rclone;
