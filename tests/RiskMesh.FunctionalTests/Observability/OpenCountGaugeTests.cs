using System.Diagnostics.Metrics;
using RiskMesh.Abstractions;

namespace RiskMesh.FunctionalTests.Observability;

/// <summary>RiskMesh's gauges of things open (notice streams, unmarked journal batches) report what is open, whenever the exporter began listening.</summary>
public sealed class OpenCountGaugeTests
{
    [Theory]
    [InlineData("riskmesh.sse.listeners")]
    [InlineData("riskmesh.journal.batches.unmarked")]
    public void Gauge_OpenedBeforeTheExporterListenedClosedAfter_NeverReadsBelowZero(string instrumentName)
    {
        var (open, close) = instrumentName == "riskmesh.sse.listeners"
            ? ((Action)RiskMeshMetrics.SseListenerOpened, (Action)RiskMeshMetrics.SseListenerClosed)
            : (RiskMeshMetrics.JournalBatchAppended, RiskMeshMetrics.JournalBatchMarked);

        // Opened before the exporter subscribes (a host started earlier in the process, or the pipeline started late) and
        // closed after it: an up-down counter would hand the exporter a lone -1.
        open();
        using var listener = new MeterListener();
        var observed = new List<long>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RiskMeshMetrics.MeterName && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed.Add(value));
        listener.Start();
        close();

        listener.RecordObservableInstruments();

        // Other tests in this process may hold streams or batches open at the same moment, so the reading is at least zero.
        var reading = Assert.Single(observed);
        Assert.True(reading >= 0, $"{instrumentName} read {reading}");
    }
}
