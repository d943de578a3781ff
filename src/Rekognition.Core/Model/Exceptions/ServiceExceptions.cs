using System.Net;

namespace Rekognition.Core.Model;

// One class per error of the service's API model, each carrying the service's error code and HTTP status.

/// <summary>The service's <c>AccessDeniedException</c>: You are not authorized to perform the action.</summary>
public sealed class AccessDeniedException : AmazonRekognitionException
{
    public const string Code = "AccessDeniedException";

    public AccessDeniedException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public AccessDeniedException() : this("You are not authorized to perform the action.") { }
}

/// <summary>The service's <c>ImageTooLargeException</c>: The input image size exceeds the allowed limit.</summary>
public sealed class ImageTooLargeException : AmazonRekognitionException
{
    public const string Code = "ImageTooLargeException";

    public ImageTooLargeException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ImageTooLargeException() : this("The input image size exceeds the allowed limit.") { }
}

/// <summary>The service's <c>InternalServerError</c>: Amazon Rekognition experienced a service issue.</summary>
public sealed class InternalServerErrorException : AmazonRekognitionException
{
    public const string Code = "InternalServerError";

    public InternalServerErrorException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.InternalServerError, innerException) { }

    public InternalServerErrorException() : this("Amazon Rekognition experienced a service issue.") { }
}

/// <summary>The service's <c>InvalidImageFormatException</c>: The provided image format is not supported.</summary>
public sealed class InvalidImageFormatException : AmazonRekognitionException
{
    public const string Code = "InvalidImageFormatException";

    public InvalidImageFormatException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public InvalidImageFormatException() : this("The provided image format is not supported.") { }
}

/// <summary>The service's <c>InvalidPaginationTokenException</c>: Pagination token in the request is not valid.</summary>
public sealed class InvalidPaginationTokenException : AmazonRekognitionException
{
    public const string Code = "InvalidPaginationTokenException";

    public InvalidPaginationTokenException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public InvalidPaginationTokenException() : this("Pagination token in the request is not valid.") { }
}

/// <summary>The service's <c>InvalidParameterException</c>: Input parameter violated a constraint.</summary>
public sealed class InvalidParameterException : AmazonRekognitionException
{
    public const string Code = "InvalidParameterException";

    public InvalidParameterException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public InvalidParameterException() : this("Input parameter violated a constraint.") { }
}

/// <summary>The service's <c>InvalidPolicyRevisionIdException</c>: The supplied revision id for the project policy is invalid.</summary>
public sealed class InvalidPolicyRevisionIdException : AmazonRekognitionException
{
    public const string Code = "InvalidPolicyRevisionIdException";

    public InvalidPolicyRevisionIdException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public InvalidPolicyRevisionIdException() : this("The supplied revision id for the project policy is invalid.") { }
}

/// <summary>The service's <c>InvalidS3ObjectException</c>: Unable to get object metadata from S3. Check object key, region and/or access permissions.</summary>
public sealed class InvalidS3ObjectException : AmazonRekognitionException
{
    public const string Code = "InvalidS3ObjectException";

    public InvalidS3ObjectException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public InvalidS3ObjectException() : this("Unable to get object metadata from S3. Check object key, region and/or access permissions.") { }
}

/// <summary>The service's <c>LimitExceededException</c>: A service limit was exceeded.</summary>
public sealed class LimitExceededException : AmazonRekognitionException
{
    public const string Code = "LimitExceededException";

    public LimitExceededException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public LimitExceededException() : this("A service limit was exceeded.") { }
}

/// <summary>The service's <c>MalformedPolicyDocumentException</c>: The format of the project policy document is incorrect.</summary>
public sealed class MalformedPolicyDocumentException : AmazonRekognitionException
{
    public const string Code = "MalformedPolicyDocumentException";

    public MalformedPolicyDocumentException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public MalformedPolicyDocumentException() : this("The format of the project policy document is incorrect.") { }
}

/// <summary>The service's <c>ProvisionedThroughputExceededException</c>: The number of requests exceeded your throughput limit.</summary>
public sealed class ProvisionedThroughputExceededException : AmazonRekognitionException
{
    public const string Code = "ProvisionedThroughputExceededException";

    public ProvisionedThroughputExceededException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ProvisionedThroughputExceededException() : this("The number of requests exceeded your throughput limit.") { }
}

/// <summary>The service's <c>ResourceAlreadyExistsException</c>: A resource with the specified ID already exists.</summary>
public sealed class ResourceAlreadyExistsException : AmazonRekognitionException
{
    public const string Code = "ResourceAlreadyExistsException";

    public ResourceAlreadyExistsException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ResourceAlreadyExistsException() : this("A resource with the specified ID already exists.") { }
}

/// <summary>The service's <c>ResourceInUseException</c>: The specified resource is already being used.</summary>
public sealed class ResourceInUseException : AmazonRekognitionException
{
    public const string Code = "ResourceInUseException";

    public ResourceInUseException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ResourceInUseException() : this("The specified resource is already being used.") { }
}

/// <summary>The service's <c>ResourceNotFoundException</c>: The resource specified in the request cannot be found.</summary>
public sealed class ResourceNotFoundException : AmazonRekognitionException
{
    public const string Code = "ResourceNotFoundException";

    public ResourceNotFoundException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ResourceNotFoundException() : this("The resource specified in the request cannot be found.") { }
}

/// <summary>The service's <c>ResourceNotReadyException</c>: The requested resource isn't ready.</summary>
public sealed class ResourceNotReadyException : AmazonRekognitionException
{
    public const string Code = "ResourceNotReadyException";

    public ResourceNotReadyException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ResourceNotReadyException() : this("The requested resource isn't ready.") { }
}

/// <summary>The service's <c>ServiceQuotaExceededException</c>: A service quota was exceeded.</summary>
public sealed class ServiceQuotaExceededException : AmazonRekognitionException
{
    public const string Code = "ServiceQuotaExceededException";

    public ServiceQuotaExceededException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ServiceQuotaExceededException() : this("A service quota was exceeded.") { }
}

/// <summary>The service's <c>ThrottlingException</c>: Amazon Rekognition is temporarily unable to process the request.</summary>
public sealed class ThrottlingException : AmazonRekognitionException
{
    public const string Code = "ThrottlingException";

    public ThrottlingException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.InternalServerError, innerException) { }

    public ThrottlingException() : this("Amazon Rekognition is temporarily unable to process the request.") { }
}

/// <summary>The service's <c>ValidationException</c>: 1 validation error detected.</summary>
public sealed class ValidationException : AmazonRekognitionException
{
    public const string Code = "ValidationException";

    public ValidationException(string message, Exception? innerException = null)
        : base(message, Code, HttpStatusCode.BadRequest, innerException) { }

    public ValidationException() : this("1 validation error detected.") { }
}
