using Rekognition.Core.Policies;

namespace Rekognition.Core.Tests.Management;

public class PolicyEvaluatorTests
{
    private const string Version = "arn:aws:rekognition:eu-west-1:123456789012:project/pcb-parts/version/pcb-parts.v3/1709288142000";
    private const string Action = "rekognition:CopyProjectVersion";

    private static string Statement(string effect, string principal, string action, string resource, string extra = "") =>
        $$"""{"Effect":"{{effect}}","Principal":{{principal}},"Action":{{action}},"Resource":{{resource}}{{extra}}}""";

    private static string Document(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    private static PolicyDecision Decide(string caller, params string[] documents) => PolicyEvaluator.Evaluate(documents, caller, Action, Version);

    [TestCase("\"*\"")]
    [TestCase("{\"AWS\":\"*\"}")]
    [TestCase("{\"AWS\":\"210987654321\"}")]
    [TestCase("{\"AWS\":\"arn:aws:iam::210987654321:root\"}")]
    [TestCase("{\"AWS\":[\"arn:aws:iam::111122223333:root\",\"arn:aws:iam::210987654321:*\"]}")]
    public void APrincipalNamingTheCallersAccount_Allows(string principal) =>
        Assert.That(Decide("210987654321", Document(Statement("Allow", principal, $"\"{Action}\"", "\"arn:aws:rekognition:eu-west-1:123456789012:project/pcb-parts/version/*\""))),
            Is.EqualTo(PolicyDecision.Allowed));

    [TestCase("{\"AWS\":\"arn:aws:iam::111122223333:root\"}")]
    [TestCase("{\"AWS\":\"arn:aws:iam::210987654321:role/deployer\"}")]
    [TestCase("{\"Service\":\"rekognition.amazonaws.com\"}")]
    public void APrincipalNamingSomeoneElse_DoesNotApply(string principal) =>
        Assert.That(Decide("210987654321", Document(Statement("Allow", principal, $"\"{Action}\"", "\"*\""))), Is.EqualTo(PolicyDecision.NotMentioned));

    [TestCase("\"rekognition:*\"", "\"*\"", "Allowed")]
    [TestCase("\"REKOGNITION:copyprojectversion\"", "\"arn:aws:rekognition:eu-west-1:123456789012:project/pcb-parts/version/pcb-parts.v?/*\"", "Allowed")]
    [TestCase("[\"rekognition:Copy*\"]", "[\"arn:aws:rekognition:eu-west-1:123456789012:project/other/version/*\"]", "NotMentioned")]
    [TestCase("\"rekognition:DetectCustomLabels\"", "\"*\"", "NotMentioned")]
    [TestCase("\"*\"", "\"arn:aws:rekognition:eu-west-1:123456789012:project/pcb-parts/version/pcb-parts.v3/1709288142000\"", "Allowed")]
    [TestCase("\"*\"", "\"arn:aws:rekognition:eu-west-1:123456789012:project/PCB-parts/version/*\"", "NotMentioned")]
    public void ActionsAndResources_MatchWithWildcards(string action, string resource, string expected) =>
        Assert.That(Decide("210987654321", Document(Statement("Allow", "\"*\"", action, resource))), Is.EqualTo(Enum.Parse<PolicyDecision>(expected)));

    [Test]
    public void AnExplicitDeny_WinsWhicheverDocumentHoldsIt()
    {
        var allow = Document(Statement("Allow", "\"*\"", "\"*\"", "\"*\""));
        var deny = Document(Statement("DENY", "{\"AWS\":\"210987654321\"}", $"\"{Action}\"", $"\"{Version}\""));
        Assert.That(Decide("210987654321", allow, deny), Is.EqualTo(PolicyDecision.Denied));
        Assert.That(Decide("210987654321", deny, allow), Is.EqualTo(PolicyDecision.Denied));
        Assert.That(Decide("111122223333", deny, allow), Is.EqualTo(PolicyDecision.Allowed), "the Deny names another account");
    }

    [Test]
    public void AConditionCannotBeChecked_SoItsAllowDoesNotGrant_AndItsDenyApplies()
    {
        const string condition = ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-123\"}}";
        Assert.That(Decide("210987654321", Document(Statement("Allow", "\"*\"", "\"*\"", "\"*\"", condition))), Is.EqualTo(PolicyDecision.NotMentioned));
        Assert.That(Decide("210987654321", Document(Statement("Deny", "\"*\"", "\"*\"", "\"*\"", condition))), Is.EqualTo(PolicyDecision.Denied));
    }

    [TestCase("*", "", true)]
    [TestCase("a*b*c", "aXXbYYc", true)]
    [TestCase("a*b*c", "aXXbYY", false)]
    [TestCase("a?c", "abc", true)]
    [TestCase("a?c", "ac", false)]
    [TestCase("*version/*", "project/p/version/v1/1", true)]
    public void Wildcards_MatchAsIamDoes(string pattern, string value, bool expected) =>
        Assert.That(Wildcard.Matches(pattern, value, ignoreCase: false), Is.EqualTo(expected));
}
