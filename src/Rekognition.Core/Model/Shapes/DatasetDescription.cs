namespace Rekognition.Core.Model;

public sealed class DatasetDescription
{
    public DateTime? CreationTimestamp { get; set; }
    public DateTime? LastUpdatedTimestamp { get; set; }
    public DatasetStatus? Status { get; set; }
    public string? StatusMessage { get; set; }
    public DatasetStatusMessageCode? StatusMessageCode { get; set; }
    public DatasetStats? DatasetStats { get; set; }
}
