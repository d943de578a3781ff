using Rekognition.Samples.LocalServer;

// dotnet run --project samples/LocalServer -- --urls http://127.0.0.1:5000 --Rekognition:StoreRoot=/tmp/rk
// then: aws rekognition describe-projects --endpoint-url http://127.0.0.1:5000 --region us-east-1
WebApplication app;
try
{
    app = LocalServerApp.Build(args);
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync($"LocalServer: {ex.Message}");
    return 2;
}

await app.RunAsync();
return 0;
