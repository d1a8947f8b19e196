using System.Text.Encodings.Web;

namespace RiskMesh.Abstractions;

/// <summary>How RiskMesh writes the JSON it sends: the API's answers, the notice stream and webhook bodies.</summary>
public static class JsonText
{
    /// <summary>
    /// Escapes only what JSON itself needs (quotation marks, backslashes, control characters): a notice's <c>summary</c>
    /// is relayed to people, and a relay that passes the text on as it is read "(\u002B3 more actions)", "today\u0027s"
    /// and "\u002B00:00" (newcomer 15). The default encoder escapes those for JSON embedded in HTML, which RiskMesh never
    /// does: the console builds its pages from fetched JSON as text nodes, the sign-in page is HTML-encoded, and JSON is
    /// served as application/json. Anything that embeds it in HTML must escape it for HTML there.
    /// </summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}
