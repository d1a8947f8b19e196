using System.Diagnostics.Metrics;
using RiskMesh.Abstractions;

namespace RiskMesh.FunctionalTests.Observability;

/// <summary>The open-streams gauge reports the streams open, whenever the exporter began listening.</summary>
public sealed class SseListenerGaugeTests
{
    [Fact]
    public void SseListeners_StreamOpenedBeforeTheExporterListened_NeverReadsBelowZero()
    {
        // A stream opened before the exporter subscribes (a host started earlier in the process, or the pipeline started
        // late) and closed after it: an up-down counter would hand the exporter a lone -1.
        RiskMeshMetrics.SseListenerOpened();
        using var listener = new MeterListener();
        var observed = new List<long>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RiskMeshMetrics.MeterName && instrument.Name == "riskmesh.sse.listeners")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed.Add(value));
        listener.Start();
        RiskMeshMetrics.SseListenerClosed();

        listener.RecordObservableInstruments();

        // Other tests in this process may hold streams open at the same moment, so the reading is at least zero.
        var reading = Assert.Single(observed);
        Assert.True(reading >= 0, $"the gauge read {reading}");
    }
}
