using System.Text.RegularExpressions;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Tests.Storage;

public class StoreLayoutTests
{
    // A key of the layout: fixed words, ids and times, '/'-separated; never a name a caller chose.
    private static readonly Regex KeyShape = new(@"^(models|training)/\d+/(\d+-\d+|import-\d+-[0-9a-f]{32})(/[a-z_]+(\.[a-z]+)?)*$");

    [Test]
    public void Keys_ComeFromIds_Relative_SlashSeparated()
    {
        var package = StoreLayout.ModelPackage(3, 7, 1700000000000);
        Assert.That(package, Is.EqualTo("models/3/7-1700000000000"));
        Assert.That(StoreLayout.ModelFile(package), Is.EqualTo("models/3/7-1700000000000/model.onnx"));
        Assert.That(StoreLayout.ModelMetadata(package), Is.EqualTo("models/3/7-1700000000000/model.json"));
        Assert.That(StoreLayout.EvaluationReport(package), Is.EqualTo("models/3/7-1700000000000/evaluation.html"));
        var training = StoreLayout.Training(3, 7, 1700000000000);
        Assert.That(training, Is.EqualTo("training/3/7-1700000000000"));
        Assert.That(StoreLayout.TrainerCheckpoint(training), Is.EqualTo("training/3/7-1700000000000/trainer/checkpoint/training.ckpt"));
        Assert.That(StoreLayout.StagedOutput(training, StagedFile.TrainingInputManifest), Is.EqualTo("training/3/7-1700000000000/output/training_input_manifest.json"));

        var imported = StoreLayout.ImportedModelPackage(3, 5, Guid.NewGuid());
        Assert.That(imported, Does.StartWith("models/3/import-5-"));
        Assert.That(StoreLayout.ImportedModelPackage(3, 5, Guid.NewGuid()), Is.Not.EqualTo(imported), "each import has its own prefix");
    }

    [Test]
    public void EveryKey_HasTheLayoutsShape_WhateverTheIds()
    {
        foreach (var (project, version, created) in new[] { (1L, 1L, 0L), (long.MaxValue, 42L, 1700000000000L), (9L, 10L, 11L) })
        {
            var package = StoreLayout.ModelPackage(project, version, created);
            var training = StoreLayout.Training(project, version, created);
            var keys = new List<string>
            {
                package, StoreLayout.ModelFile(package), StoreLayout.ModelMetadata(package), StoreLayout.EvaluationReport(package),
                training, StoreLayout.TrainerOutput(training), StoreLayout.TrainerCheckpoint(training), StoreLayout.StagedOutputs(training),
                StoreLayout.ImportedModelPackage(project, created, Guid.NewGuid()),
            };
            keys.AddRange(Enum.GetValues<StagedFile>().Select(f => StoreLayout.StagedOutput(training, f)));
            Assert.That(keys, Has.All.Matches<string>(k => KeyShape.IsMatch(k)), string.Join(", ", keys));
            Assert.That(keys, Has.None.Contains("..").And.None.Contains("\\").And.None.StartWith("/"));
        }
    }

    [Test]
    public async Task NoProjectOrVersionName_ReachesAKey()
    {
        // Names the service allows that would be dangerous in a path; the keys the store makes for them hold none of them.
        await using var store = new TestSupport.TestStore();
        var project = await store.Client.CreateProjectAsync(new Model.CreateProjectRequest { ProjectName = ".." });
        var model = TestSupport.ModelPackages.WriteMnist(Path.Combine(store.Root, "import"));
        await store.Models.ImportProjectVersionAsync(new Model.ImportProjectVersionRequest { ProjectArn = project.ProjectArn, VersionName = "..", ModelPath = model });

        var keys = new List<string>();
        var objects = new LocalFolderObjectStore(store.Options.StoreRoot);
        await foreach (var key in objects.ListAsync(StoreLayout.ModelsPrefix))
        {
            keys.Add(key);
        }

        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys, Has.All.Matches<string>(k => KeyShape.IsMatch(k)), string.Join(", ", keys));
    }
}
