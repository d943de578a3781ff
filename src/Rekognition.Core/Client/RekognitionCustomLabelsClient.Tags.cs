using Rekognition.Core.Arns;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;

namespace Rekognition.Core;

// TagResource, UntagResource, ListTagsForResource.
public sealed partial class RekognitionCustomLabelsClient
{
    /// <summary>Tags per resource, as the service's quota.</summary>
    public const int MaxTagsPerResource = 200;

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = TaggableResource(request.ResourceArn);
        RequestValidation.Tags(request.Tags);
        if (!_tags.TryPut(arn, request.Tags, MaxTagsPerResource))
        {
            throw new ServiceQuotaExceededException(
                $"A resource can have at most {MaxTagsPerResource} tags; these would make more. Remove tags with UntagResource first.");
        }

        return Task.FromResult(new TagResourceResponse());
    }

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = TaggableResource(request.ResourceArn);
        if (request.TagKeys.Count > MaxTagsPerResource)
        {
            throw new InvalidParameterException($"1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to {MaxTagsPerResource}.");
        }

        foreach (var key in request.TagKeys)
        {
            RequestValidation.TagKey(key, "TagKeys");
        }

        _tags.Remove(arn, request.TagKeys);
        return Task.FromResult(new UntagResourceResponse());
    }

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = TaggableResource(request.ResourceArn);
        return Task.FromResult(new ListTagsForResourceResponse { Tags = _tags.List(arn) });
    }

    /// <summary>The ARN if it names an existing project or dataset; otherwise the service's errors.</summary>
    private string TaggableResource(string? resourceArn)
    {
        var arn = RequestValidation.Required(resourceArn, "ResourceArn");
        RequestValidation.Length(arn, "ResourceArn", 20, 2048);
        if (!ResourceArns.TryParse(arn, out var parsed))
        {
            throw new InvalidParameterException($"'{arn}' is not the ARN of a project, dataset or model version.");
        }

        var exists = parsed.Kind switch
        {
            ResourceKind.Project => _projects.FindByArn(arn) is not null,
            ResourceKind.Dataset => _datasets.FindByArn(arn) is not null,
            ResourceKind.ProjectVersion => _versions.FindByArn(arn) is not null,
            _ => false,
        };
        return exists ? arn : throw new ResourceNotFoundException($"The resource {arn} does not exist.");
    }
}
