using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;

namespace CloudSlicer.Api.Jobs;

/// <summary><c>/jobs/create_export</c>: <c>asset</c>, and <c>aaclc</c> ("1" for AAC-LC audio instead of HE-AAC v1).</summary>
public static class ExportRequest
{
    public static JobRequest<ExportSpec> Parse(Api2Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asset = Api2Values.AssetId(request.Params["asset"], "asset");
        var aacLc = Api2Values.Flag(request.Params["aaclc"], "aaclc");
        var args = new JsonObject { ["export_mp4"] = true };
        if (aacLc)
        {
            args["aaclc"] = 1;
        }

        return new JobRequest<ExportSpec>(JobKind.Export, new ExportSpec(asset, aacLc), args, [], asset);
    }
}
