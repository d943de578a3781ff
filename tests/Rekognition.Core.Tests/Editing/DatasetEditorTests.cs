using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Editing;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Editing;

/// <summary>The editor client: saves with UpdateDatasetEntries semantics and entry revisions, label management, export.</summary>
public class DatasetEditorTests
{
    private TestStore _store = null!;
    private IDatasetEditorClient _editor = null!;
    private string _dataset = null!;

    [SetUp]
    public async Task SetUp()
    {
        _store = new TestStore();
        _editor = _store.Services.GetRequiredService<IDatasetEditorClient>();
        var project = (await _store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "boards" })).ProjectArn!;
        (_dataset, _) = await DetectionProject.CreateAsync(_store, project, DatasetType.TRAIN,
        [
            DetectionProject.Boxes(_store, "a", (0, 10, 20, 60, 50), (1, 150, 100, 80, 70)),
            DetectionProject.ImageLevel(_store, "b", "c1"),
            $$"""{"source-ref":"{{DetectionProject.Image(_store, "c")}}"}""",
        ]);
    }

    [TearDown]
    public async Task TearDown() => await _store.DisposeAsync();

    [Test]
    public async Task WhatIsSaved_IsWhatListDatasetEntriesReturns_AndAStaleRevisionIsRefused()
    {
        var entry = (await _editor.ListEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _dataset, SourceRefContains = "/c.png" })).Entries.Single();
        Assert.That(entry.Revision, Is.EqualTo(1));
        var edited = new EntryAnnotations(entry.SourceRef, [new EntryLabel("c0")], [new EntryBox("c1", 5, 6, 40, 30)], DetectionProject.Width, DetectionProject.Height)
            .ToLine(entry.Line, DateTime.UtcNow);

        var revision = await _editor.SaveEntryAsync(_dataset, edited, entry.Revision);

        Assert.That(revision, Is.EqualTo(2));
        var listed = (await DetectionProject.EntriesAsync(_store, _dataset)).Single(l => l.Contains("/c.png", StringComparison.Ordinal));
        Assert.That(listed, Is.EqualTo(edited));
        var read = EntryAnnotations.Parse(listed);
        Assert.That(read.Labels.Select(l => l.Name), Is.EqualTo(new[] { "c0" }));
        Assert.That(read.Boxes, Is.EqualTo(new[] { new EntryBox("c1", 5, 6, 40, 30) }));

        var stale = Assert.ThrowsAsync<ResourceInUseException>(() => _editor.SaveEntryAsync(_dataset, entry.Line, entry.Revision));
        Assert.That(stale!.Message, Does.Contain("changed since you read it"));
        Assert.That((await _store.Client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = _dataset })).DatasetDescription!.Status,
            Is.EqualTo(DatasetStatus.UPDATE_COMPLETE), "a refused save leaves the dataset as it was");
    }

    [Test]
    public async Task ASaveBreakingTheServicesRules_IsRefusedWithItsCode()
    {
        var entry = (await _editor.ListEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _dataset, SourceRefContains = "/c.png" })).Entries.Single();
        var outside = new EntryAnnotations(entry.SourceRef, [], [new EntryBox("c1", 300, 200, 100, 100)], DetectionProject.Width, DetectionProject.Height).ToLine(entry.Line, DateTime.UtcNow);
        var error = Assert.ThrowsAsync<InvalidParameterException>(() => _editor.SaveEntryAsync(_dataset, outside, entry.Revision));
        Assert.That(error!.Message, Does.StartWith("ERROR_"));
        Assert.ThrowsAsync<InvalidParameterException>(() => _editor.SaveEntryAsync(_dataset, "{not json", null));
    }

    [Test]
    public async Task RenameRewritesEveryEntry_MergeJoinsTwoLabels_AndDeleteNeedsAnUnusedLabel()
    {
        Assert.That(await _editor.RenameLabelAsync(_dataset, "c1", "scratch"), Is.EqualTo(2));
        Assert.That(await Labels(), Is.EqualTo(new[] { "c0", "scratch" }));
        Assert.That(string.Join('\n', await DetectionProject.EntriesAsync(_store, _dataset)), Does.Not.Contain("\"c1\""));
        Assert.ThrowsAsync<InvalidParameterException>(() => _editor.RenameLabelAsync(_dataset, "c0", "scratch"), "an existing name: merge instead");

        Assert.That(await _editor.MergeLabelsAsync(_dataset, "c0", "scratch"), Is.EqualTo(1));
        Assert.That(await Labels(), Is.EqualTo(new[] { "scratch" }));
        var boxes = EntryAnnotations.Parse((await DetectionProject.EntriesAsync(_store, _dataset)).First(l => l.Contains("/a.png", StringComparison.Ordinal))).Boxes;
        Assert.That(boxes.Select(b => b.Label), Is.EqualTo(new[] { "scratch", "scratch" }));

        await _editor.AddLabelAsync(_dataset, "dent");
        Assert.That(await Labels(), Is.EqualTo(new[] { "dent", "scratch" }));
        Assert.ThrowsAsync<InvalidParameterException>(() => _editor.DeleteLabelAsync(_dataset, "scratch"));
        await _editor.DeleteLabelAsync(_dataset, "dent");
        Assert.That(await Labels(), Is.EqualTo(new[] { "scratch" }));
    }

    [Test]
    public async Task TheCocoExport_HasEveryImageCategoryAndBox()
    {
        using var coco = new MemoryStream();
        await _editor.ExportCocoAsync(_dataset, coco);
        using var document = JsonDocument.Parse(coco.ToArray());
        Assert.That(document.RootElement.GetProperty("images").GetArrayLength(), Is.EqualTo(3));
        Assert.That(document.RootElement.GetProperty("annotations").GetArrayLength(), Is.EqualTo(2));
        Assert.That(document.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Is.EqualTo(new[] { "c0", "c1" }));
        Assert.That(document.RootElement.GetProperty("images")[0].GetProperty("width").GetInt32(), Is.EqualTo(DetectionProject.Width));
    }

    private async Task<string[]> Labels() =>
        (await _store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = _dataset })).DatasetLabelDescriptions.Select(d => d.LabelName!).Order(StringComparer.Ordinal).ToArray();
}
