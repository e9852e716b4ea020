using Amazon.S3;
using Amazon.S3.Model;

namespace Duplicity.Backends.S3;

/// <summary>Applies the per-object settings (storage class, server-side encryption) to upload requests.</summary>
internal static class S3UploadSettings
{
    public static void Apply(PutObjectRequest request, S3BackendOptions options, string fileName)
    {
        request.StorageClass = S3StorageClass.FindValue(options.StorageClassFor(fileName));
        if (options.UseServerSideEncryption)
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256;
        else if (options.UseServerSideKmsEncryption)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = options.KmsKeyId;
            if (options.KmsGrant is { } grant)
                request.Headers["x-amz-grant-full-control"] = grant;
        }
    }

    public static void Apply(InitiateMultipartUploadRequest request, S3BackendOptions options, string fileName)
    {
        request.StorageClass = S3StorageClass.FindValue(options.StorageClassFor(fileName));
        if (options.UseServerSideEncryption)
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256;
        else if (options.UseServerSideKmsEncryption)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = options.KmsKeyId;
            if (options.KmsGrant is { } grant)
                request.Headers["x-amz-grant-full-control"] = grant;
        }
    }

    /// <summary>Whether S3 returns the body's MD5 as ETag (not so with KMS encryption).</summary>
    public static bool ETagIsMd5(S3BackendOptions options) => !options.UseServerSideKmsEncryption;

    /// <summary>The ETag without its quotes, lower case.</summary>
    public static string Unquote(string? etag) => (etag ?? "").Trim('"').ToLowerInvariant();
}
