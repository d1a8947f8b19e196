namespace RiskMesh.Abstractions; internal static class Placeholder {}
