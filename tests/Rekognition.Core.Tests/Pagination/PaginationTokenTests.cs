using System.Buffers.Text;
using System.Text;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Pagination;

/// <summary>NextToken values are signed with the store's key: forged or altered ones are refused; genuine ones survive a restart.</summary>
public class PaginationTokenTests
{
    private static async Task<TestStore> StoreWithProjectsAsync(int count)
    {
        var store = new TestStore();
        for (var i = 0; i < count; i++)
        {
            await store.CreateProjectAsync($"p{i}");
        }

        return store;
    }

    private static Task<DescribeProjectsResponse> PageAsync(TestStore store, string? token) =>
        store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { MaxResults = 1, NextToken = token });

    [Test]
    public async Task AGenuineToken_StillWorks_AfterTheStoreIsReopened()
    {
        await using var store = await StoreWithProjectsAsync(3);
        var first = await PageAsync(store, null);
        Assert.That(first.NextToken, Is.Not.Null);

        await store.ReopenAsync();
        var second = await PageAsync(store, first.NextToken);
        Assert.That(second.ProjectDescriptions.Single().ProjectArn, Does.Contain("project/p1/"));
    }

    [Test]
    public async Task AForgedTokenInsideTheSameListing_IsRefused()
    {
        await using var store = await StoreWithProjectsAsync(3);
        var genuine = (await PageAsync(store, null)).NextToken!;
        var bytes = Base64Url.DecodeFromChars(genuine);
        var payload = Encoding.UTF8.GetString(bytes, 0, bytes.Length - 16);
        Assert.That(payload, Does.StartWith("rk2|projects|"), "the test forges the payload a token carries");

        // The unsigned format of before, and the same payload with a made-up MAC, naming another position.
        var unsigned = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("rk1|projects|2"));
        var forged = Base64Url.EncodeToString([.. Encoding.UTF8.GetBytes("rk2|projects|2"), .. new byte[16]]);
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => PageAsync(store, unsigned));
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => PageAsync(store, forged));
    }

    [Test]
    public async Task ATokenAlteredInAnyByte_IsRefused()
    {
        await using var store = await StoreWithProjectsAsync(3);
        var genuine = Base64Url.DecodeFromChars((await PageAsync(store, null)).NextToken!);
        for (var i = 0; i < genuine.Length; i++)
        {
            var altered = (byte[])genuine.Clone();
            altered[i] ^= 0x01;
            var ex = Assert.ThrowsAsync<InvalidPaginationTokenException>(() => PageAsync(store, Base64Url.EncodeToString(altered)), $"byte {i}");
            Assert.That(ex!.Message, Does.Contain("NextToken"));
        }

        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => PageAsync(store, Base64Url.EncodeToString(genuine.AsSpan(0, genuine.Length - 1))));
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => PageAsync(store, Base64Url.EncodeToString(genuine.AsSpan(16))));
    }

    [Test]
    public async Task ATokenOfAnotherStore_IsRefused()
    {
        await using var one = await StoreWithProjectsAsync(3);
        await using var other = await StoreWithProjectsAsync(3);
        var token = (await PageAsync(one, null)).NextToken;
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => PageAsync(other, token));
    }

    [Test]
    public async Task TheKey_Is32RandomBytes_ReadableOnlyByTheOwner_AndKeptAcrossRestarts()
    {
        await using var store = new TestStore();
        var path = Path.Combine(store.Options.StoreRoot, StoreLayout.PaginationKey);
        var key = await File.ReadAllBytesAsync(path);
        Assert.That(key, Has.Length.EqualTo(32));
        Assert.That(key, Is.Not.EqualTo(new byte[32]));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        await store.ReopenAsync();
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(key));
        Assert.That(Directory.GetFiles(store.Options.StoreRoot, "*.tmp"), Is.Empty);
    }

    [Test]
    public void ProcessesOpeningANewStoreAtOnce_AgreeOnOneKey()
    {
        var root = Path.Combine(Path.GetTempPath(), "rk-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var keys = new byte[16][];
            Parallel.For(0, keys.Length, i => keys[i] = PaginationKey.LoadOrCreate(new LocalFolderObjectStore(root)));
            Assert.That(keys.Select(Convert.ToHexString).Distinct().Count(), Is.EqualTo(1));
            Assert.That(Directory.GetFiles(root), Has.Length.EqualTo(1));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task ADamagedKeyFile_StopsTheClient_WithAMessageSayingWhatToDo()
    {
        await using var store = new TestStore();
        await File.WriteAllBytesAsync(Path.Combine(store.Options.StoreRoot, StoreLayout.PaginationKey), new byte[7]);
        var ex = Assert.Throws<InvalidOperationException>(() => PaginationKey.LoadOrCreate(new LocalFolderObjectStore(store.Options.StoreRoot)));
        Assert.That(ex!.Message, Does.Contain("pagination.key").And.Contain("7 bytes"));
    }
}
