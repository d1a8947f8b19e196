namespace RiskMesh.Grains; internal static class Placeholder {}
