using System.Text.RegularExpressions;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Policies;
using Rekognition.Core.Requests;

namespace Rekognition.Core.Services.Policies;

/// <summary>PutProjectPolicy, ListProjectPolicies, DeleteProjectPolicy, and the policy check CopyProjectVersion asks for.</summary>
internal sealed partial class PolicyService(RekognitionOptions options, ICatalog catalog, IProjectCatalog projects, IPolicyCatalog policies, PaginationToken tokens, ResourceLookup lookup, StoreClock clock)
{
    /// <summary>Project policies per project, as the service's quota.</summary>
    public const int MaxProjectPolicies = 5;

    public PutProjectPolicyResponse Put(PutProjectPolicyRequest request)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var name = RequestValidation.PolicyName(request.PolicyName);
        var revision = RequestValidation.PolicyRevisionId(request.PolicyRevisionId);
        var document = RequestValidation.Required(request.PolicyDocument, "PolicyDocument");
        RequestValidation.Length(document, "PolicyDocument", 1, 2000);
        RequestValidation.Pattern(document, "PolicyDocument", PolicyDocumentCharacters(), "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
        PolicyDocumentRules.Check(document);

        using var transaction = catalog.BeginTransaction();
        var project = projects.FindByArn(request.ProjectArn!, transaction) ?? throw ResourceLookup.ProjectNotFound(request.ProjectArn!);
        var existing = policies.Find(transaction, project.Id, name);
        var now = clock.NowMs();
        if (revision is null)
        {
            if (existing is not null)
            {
                throw new ResourceAlreadyExistsException(
                    $"The project already has a policy named '{name}'. To replace it, pass its current PolicyRevisionId ({existing.RevisionId}).");
            }

            if (policies.Count(transaction, project.Id) >= MaxProjectPolicies)
            {
                throw new ServiceQuotaExceededException($"A project can have at most {MaxProjectPolicies} project policies. Delete one before adding another.");
            }
        }
        else if (existing is null)
        {
            throw new InvalidPolicyRevisionIdException($"The project has no policy named '{name}'. Omit PolicyRevisionId to create it.");
        }
        else if (!string.Equals(existing.RevisionId, revision, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidPolicyRevisionIdException(
                $"PolicyRevisionId {revision} is not the current revision of policy '{name}' (the current one is {existing.RevisionId}).");
        }

        var newRevision = Guid.NewGuid().ToString("N");
        policies.Upsert(transaction, project.Id, new PolicyRecord(name, newRevision, document, existing?.CreatedMs ?? now, now));
        transaction.Commit();
        return new PutProjectPolicyResponse { PolicyRevisionId = newRevision };
    }

    public ListProjectPoliciesResponse List(ListProjectPoliciesRequest request)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", MaxProjectPolicies, MaxProjectPolicies);
        var project = lookup.Project(request.ProjectArn!);
        var listing = "policies:" + project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var after = tokens.Read(request.NextToken, listing);
        var rows = policies.List(project.Id, after, pageSize);
        var response = new ListProjectPoliciesResponse();
        foreach (var policy in rows.Take(pageSize))
        {
            response.ProjectPolicies.Add(new ProjectPolicy
            {
                ProjectArn = project.Arn,
                PolicyName = policy.Name,
                PolicyRevisionId = policy.RevisionId,
                PolicyDocument = policy.Document,
                CreationTimestamp = StoreClock.FromMs(policy.CreatedMs),
                LastUpdatedTimestamp = StoreClock.FromMs(policy.UpdatedMs),
            });
        }

        response.NextToken = tokens.NextAfter(rows, pageSize, listing, p => p.Name);
        return response;
    }

    public DeleteProjectPolicyResponse Delete(DeleteProjectPolicyRequest request)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var name = RequestValidation.PolicyName(request.PolicyName);
        var revision = RequestValidation.PolicyRevisionId(request.PolicyRevisionId);
        using var transaction = catalog.BeginTransaction();
        var project = projects.FindByArn(request.ProjectArn!, transaction) ?? throw ResourceLookup.ProjectNotFound(request.ProjectArn!);
        var existing = policies.Find(transaction, project.Id, name)
                       ?? throw new ResourceNotFoundException($"The project has no policy named '{name}'.");
        if (revision is not null && !string.Equals(existing.RevisionId, revision, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidPolicyRevisionIdException(
                $"PolicyRevisionId {revision} is not the current revision of policy '{name}' (the current one is {existing.RevisionId}); nothing was deleted.");
        }

        policies.Delete(transaction, project.Id, name);
        transaction.Commit();
        return new DeleteProjectPolicyResponse();
    }

    /// <summary>Throws <see cref="AccessDeniedException"/> unless this store's policies on <paramref name="project"/> let <paramref name="callerAccount"/> copy <paramref name="version"/>.</summary>
    public void AuthorizeCopy(ProjectRecord project, VersionRecord version, string callerAccount)
    {
        var documents = policies.List(project.Id, null, MaxProjectPolicies).Select(p => p.Document).ToList();
        var decision = PolicyEvaluator.Evaluate(documents, callerAccount, PolicyDocumentRules.CopyAction, version.Arn);
        var allowed = decision == PolicyDecision.Allowed || decision == PolicyDecision.NotMentioned && callerAccount == options.AccountId;
        if (!allowed)
        {
            var why = decision == PolicyDecision.Denied
                ? "a project policy on the source project explicitly denies it"
                : $"no project policy on the source project allows it; attach one with PutProjectPolicy in account {options.AccountId}";
            throw new AccessDeniedException(
                $"User: {PolicyEvaluator.PrincipalArn(callerAccount)} is not authorized to perform: {PolicyDocumentRules.CopyAction} on resource: {version.Arn} because {why}.");
        }
    }

    [GeneratedRegex("^[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyDocumentCharacters();
}
