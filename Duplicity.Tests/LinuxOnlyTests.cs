using System.Runtime.Versioning;

// The test suite runs on Linux (it drives the real duplicity, sshd, MinIO): it may call the native file layer
// directly. The portable layer's own tests force it with FileLayer.Use or DUPLICITY_PORTABLE_FILES.
[assembly: SupportedOSPlatform("linux")]
