using Rekognition.Core.Datasets;

namespace Rekognition.Core.Tests.Datasets;

public class DatasetSplitTests
{
    private static List<IReadOnlyCollection<string>> Entries(params (string Label, int Count)[] groups) =>
        groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(_ => (IReadOnlyCollection<string>)new[] { g.Label })).ToList();

    [Test]
    public void MovesTwentyPercent_StratifiedByLabel()
    {
        var entries = Entries(("cat", 50), ("dog", 30), ("bird", 20));
        var chosen = DatasetSplit.ChooseTestEntries(entries);
        Assert.That(chosen, Has.Length.EqualTo(20));
        var byLabel = chosen.GroupBy(i => entries[i].Single()).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(byLabel, Is.EqualTo(new Dictionary<string, int> { ["cat"] = 10, ["dog"] = 6, ["bird"] = 4 }));
        Assert.That(chosen, Is.Ordered.And.Unique);
    }

    [Test]
    public void IsReproducible_AndDependsOnTheSeed()
    {
        var entries = Entries(("a", 40), ("b", 40));
        Assert.That(DatasetSplit.ChooseTestEntries(entries), Is.EqualTo(DatasetSplit.ChooseTestEntries(entries)));
        Assert.That(DatasetSplit.ChooseTestEntries(entries, seed: 1), Is.Not.EqualTo(DatasetSplit.ChooseTestEntries(entries, seed: 2)));
    }

    [Test]
    public void RareLabels_GetATestEntry_AndKeepATrainingEntry()
    {
        var entries = Entries(("common", 20), ("rare", 2), ("single", 1));
        var chosen = DatasetSplit.ChooseTestEntries(entries);
        var testLabels = chosen.Select(i => entries[i].Single()).ToList();
        Assert.That(testLabels, Does.Contain("rare"));
        Assert.That(testLabels, Does.Not.Contain("single"), "a label's only entry must stay in training");
        Assert.That(testLabels.Count(l => l == "rare"), Is.EqualTo(1));
        Assert.That(chosen, Has.Length.EqualTo(5)); // round(23 * 0.2)
    }

    [Test]
    public void MultiLabelEntries_AreStratifiedByTheirRarestLabel()
    {
        var entries = new List<IReadOnlyCollection<string>>();
        for (var i = 0; i < 10; i++)
        {
            entries.Add(new[] { "flower", i < 5 ? "leaves" : "no_leaves" });
        }

        var chosen = DatasetSplit.ChooseTestEntries(entries);
        Assert.That(chosen, Has.Length.EqualTo(2));
        Assert.That(chosen.Select(i => entries[i].Last()).Distinct().Count(), Is.EqualTo(2), "one entry from each rarer label");
    }

    [Test]
    public void NothingToSplit_WhenNoLabelHasTwoEntries()
    {
        Assert.That(DatasetSplit.ChooseTestEntries(Entries(("a", 1), ("b", 1))), Is.Empty);
        Assert.That(DatasetSplit.ChooseTestEntries(new List<IReadOnlyCollection<string>> { Array.Empty<string>(), Array.Empty<string>() }), Is.Empty);
        Assert.That(DatasetSplit.ChooseTestEntries(new List<IReadOnlyCollection<string>>()), Is.Empty);
    }

    [Test]
    public void UnlabelledEntries_AreSplitToo()
    {
        var entries = Entries(("a", 10));
        entries.AddRange(Enumerable.Range(0, 10).Select(_ => (IReadOnlyCollection<string>)Array.Empty<string>()));
        var chosen = DatasetSplit.ChooseTestEntries(entries);
        Assert.That(chosen, Has.Length.EqualTo(4));
        Assert.That(chosen.Count(i => entries[i].Count == 0), Is.EqualTo(2));
    }
}
