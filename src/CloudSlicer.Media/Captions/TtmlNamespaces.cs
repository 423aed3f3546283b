namespace CloudSlicer.Media.Captions;

/// <summary>The namespaces TTML has been published under: TTML1/2 and IMSC1, and the two DFXP drafts still found in the wild.</summary>
internal static class TtmlNamespaces
{
    public const string Ttml = "http://www.w3.org/ns/ttml";
    public const string Dfxp2006_10 = "http://www.w3.org/2006/10/ttaf1";
    public const string Dfxp2006_04 = "http://www.w3.org/2006/04/ttaf1";

    /// <summary>Element namespaces; "" is accepted too (hand-written files that forgot xmlns).</summary>
    public static bool IsElementNamespace(string ns) => ns is Ttml or Dfxp2006_10 or Dfxp2006_04 or "";

    /// <summary>ttp: (parameter) namespaces; files mix them with either element namespace.</summary>
    public static bool IsParameterNamespace(string ns) => ns is Ttml + "#parameter" or Dfxp2006_10 + "#parameter" or Dfxp2006_04 + "#parameter";
}
