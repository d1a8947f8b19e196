namespace RiskMesh.Scoring; internal static class Placeholder {}
