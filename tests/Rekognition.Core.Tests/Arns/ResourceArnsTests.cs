using Rekognition.Core.Arns;

namespace Rekognition.Core.Tests.Arns;

public class ResourceArnsTests
{
    [Test]
    public void BuiltArns_ParseBack_AndSplitOnSlashAsTheGuidesSamplesDo()
    {
        var project = ResourceArns.Project("us-east-1", "123456789012", "pcb-parts", 1700000000000);
        var dataset = ResourceArns.Dataset("us-east-1", "123456789012", "pcb-parts", "TRAIN", 1700000100000);
        var version = ResourceArns.ProjectVersion("us-east-1", "123456789012", "pcb-parts", "v1.2", 1709288142000);
        Assert.Multiple(() =>
        {
            Assert.That(project, Is.EqualTo("arn:aws:rekognition:us-east-1:123456789012:project/pcb-parts/1700000000000"));
            Assert.That(dataset, Is.EqualTo("arn:aws:rekognition:us-east-1:123456789012:project/pcb-parts/dataset/train/1700000100000"));
            Assert.That(version.Split('/')[1], Is.EqualTo("pcb-parts"));
            Assert.That(version.Split('/')[3], Is.EqualTo("v1.2"));
            Assert.That(ResourceArns.TryParse(dataset, out var d) && d.Kind == ResourceKind.Dataset && d.SubName == "train" && d.Timestamp == 1700000100000, Is.True);
            Assert.That(ResourceArns.TryParse(version, out var v) && v.Kind == ResourceKind.ProjectVersion && v.SubName == "v1.2", Is.True);
            Assert.That(ResourceArns.TryParse(project, out var p) && p.Kind == ResourceKind.Project && p.ProjectName == "pcb-parts", Is.True);
        });
    }

    [TestCase("arn:aws:rekognition:us-east-1:12345:project/x/1")]
    [TestCase("arn:aws:rekognition:us-east-1:123456789012:project/x/dataset/validation/1")]
    [TestCase("arn:aws:s3:::bucket/key/and/more")]
    [TestCase("arn:aws:rekognition:us-east-1:123456789012:project/bad name/1")]
    public void MalformedArns_DoNotParse(string arn) => Assert.That(ResourceArns.TryParse(arn, out _), Is.False);
}
