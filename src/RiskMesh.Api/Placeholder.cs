namespace RiskMesh.Api; internal static class Placeholder {}
