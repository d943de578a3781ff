using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rekognition.Core.Training;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.DependencyInjection;

public class TrainingRegistrationTests
{
    [Test]
    public void AddRekognitionTraining_BindsTheTrainingSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rekognition:Training:Backbone"] = "none", // the store's key in the same section is left to RekognitionOptions
            ["Rekognition:Training:Classifier:Epochs"] = "7",
            ["Rekognition:Training:Classifier:BatchSize"] = "16",
            ["Rekognition:Training:Detector:Epochs"] = "3",
            ["Rekognition:Training:Detector:Network:InputSize"] = "128",
        }).Build();
        using var services = new ServiceCollection().AddRekognitionTraining(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<RekognitionTrainingOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(options.Classifier.Epochs, Is.EqualTo(7));
            Assert.That(options.Classifier.BatchSize, Is.EqualTo(16));
            Assert.That(options.Classifier.LearningRate, Is.EqualTo(new ImageClassifierTrainerOptions().LearningRate), "keys not given keep their defaults");
            Assert.That(options.Detector.Epochs, Is.EqualTo(3));
            Assert.That(options.Detector.Network.InputSize, Is.EqualTo(128));
            Assert.That(services.GetRequiredService<IModelTrainer>(), Is.InstanceOf<ModelTrainer>());
        });
    }

    [Test]
    public void AddRekognitionTraining_TakesAnOptionsAction()
    {
        using var services = new ServiceCollection()
            .AddRekognitionTraining(o => o.Classifier = o.Classifier with { Epochs = 2 })
            .BuildServiceProvider();

        Assert.That(services.GetRequiredService<IOptions<RekognitionTrainingOptions>>().Value.Classifier.Epochs, Is.EqualTo(2));
        Assert.That(services.GetRequiredService<IModelTrainer>(), Is.InstanceOf<ModelTrainer>());
    }

    [Test]
    public void AddRekognitionTraining_ChecksItsOptionsAtStart_NamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rekognition:Training:Classifier:BatchSize"] = "0",
            ["Rekognition:Training:Detector:Epochs"] = "-1",
        }).Build();
        using var services = new ServiceCollection().AddRekognitionTraining(configuration).BuildServiceProvider();

        // What a host runs at start for ValidateOnStart.
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Failures, Is.EquivalentTo(new[]
        {
            "Rekognition:Training:Classifier:BatchSize must be at least 1.",
            "Rekognition:Training:Detector:Epochs must not be negative.",
        }));
    }

    [Test]
    public void AddRekognitionTraining_DefaultOptions_PassTheStartCheck()
    {
        using var services = new ServiceCollection().AddRekognitionTraining().BuildServiceProvider();

        Assert.DoesNotThrow(() => services.GetRequiredService<IStartupValidator>().Validate());
    }
}
