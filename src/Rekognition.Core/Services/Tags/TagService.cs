using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;

namespace Rekognition.Core.Services.Tags;

/// <summary>TagResource, UntagResource, ListTagsForResource on projects, datasets and model versions.</summary>
internal sealed class TagService(ITagCatalog tags, IProjectCatalog projects, IDatasetCatalog datasets, IVersionCatalog versions)
{
    /// <summary>Tags per resource, as the service's quota.</summary>
    public const int MaxTagsPerResource = 200;

    public TagResourceResponse Tag(TagResourceRequest request)
    {
        var arn = TaggableResource(request.ResourceArn);
        RequestValidation.Tags(request.Tags);
        if (!tags.TryPut(arn, request.Tags, MaxTagsPerResource))
        {
            throw new ServiceQuotaExceededException(
                $"A resource can have at most {MaxTagsPerResource} tags; these would make more. Remove tags with UntagResource first.");
        }

        return new TagResourceResponse();
    }

    public UntagResourceResponse Untag(UntagResourceRequest request)
    {
        var arn = TaggableResource(request.ResourceArn);
        if (request.TagKeys.Count > MaxTagsPerResource)
        {
            throw new InvalidParameterException($"1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to {MaxTagsPerResource}.");
        }

        foreach (var key in request.TagKeys)
        {
            RequestValidation.TagKey(key, "TagKeys");
        }

        tags.Remove(arn, request.TagKeys);
        return new UntagResourceResponse();
    }

    public ListTagsForResourceResponse List(ListTagsForResourceRequest request) =>
        new() { Tags = tags.List(TaggableResource(request.ResourceArn)) };

    /// <summary>Tags a resource just created (its quota cannot be exceeded by a request's own tags).</summary>
    public void TagNew(string arn, Dictionary<string, string> requestTags)
    {
        if (requestTags.Count > 0)
        {
            tags.TryPut(arn, requestTags, MaxTagsPerResource);
        }
    }

    /// <summary>The ARN if it names an existing project, dataset or version; otherwise the service's errors.</summary>
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
            ResourceKind.Project => projects.FindByArn(arn) is not null,
            ResourceKind.Dataset => datasets.FindByArn(arn) is not null,
            ResourceKind.ProjectVersion => versions.FindByArn(arn) is not null,
            _ => false,
        };
        return exists ? arn : throw new ResourceNotFoundException($"The resource {arn} does not exist.");
    }
}
