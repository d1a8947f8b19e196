using System.Globalization;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer try-out 7 F5 (console side): the components table's Value column showed every figure with two decimals and
/// the unit glued to it ("0.00 under observation, 14 days", "0.00 0 = enough, 1 = none"). A count now reads whole with
/// thousands separated, other figures as their explanations write them, and the unit or scale sits apart, muted.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleComponentValuesBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task EntityPages_ValueColumn_FigureAsPeopleReadIt_UnitApartAndMuted()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;
        var counts = new List<string>();
        foreach (var (entity, plural) in new[] { ("city/suifenhe", "cities/suifenhe"), ("port/suifenhe-road", "ports/suifenhe-road"), ("country/RU", "countries/RU") })
        {
            var view = await fixture.Host.Admin.GetJsonAsync($"/api/v1/{plural}");
            await page.GotoAsync($"/entities/{entity}");
            await watched.WaitForConsoleAsync($"/entities/{entity}");
            await page.Locator("table.components tbody tr").First.WaitForAsync();

            // Per row: the figure's text, the unit's text, whether the unit starts below the figure, and whether its
            // colour differs from the figure's.
            var rows = await page.Locator("table.components tbody tr").EvaluateAllAsync<string[][]>(
                """
                trs => trs.map(tr => {
                  const td = tr.querySelectorAll('td')[0];
                  const figure = td.querySelector('.figure');
                  const unit = td.querySelector('.unit');
                  return [
                    tr.dataset.component,
                    figure ? figure.innerText : td.innerText,
                    unit ? unit.innerText : '',
                    unit && figure ? String(unit.getBoundingClientRect().top >= figure.getBoundingClientRect().bottom - 1) : 'false',
                    unit && figure ? String(getComputedStyle(unit).color !== getComputedStyle(figure).color) : 'false',
                  ];
                })
                """);
            var components = view.GetProperty("components").EnumerateArray().ToList();
            Assert.Equal(components.Select(c => c.Text("name")), rows.Select(r => r[0]));
            foreach (var (component, row) in components.Zip(rows))
            {
                var value = component.GetProperty("value");
                var unit = component.Text("unit") ?? "";
                var what = $"{entity} {row[0]}";
                if (value.ValueKind == System.Text.Json.JsonValueKind.Null)
                {
                    Assert.Equal("—", row[1]);
                    continue;
                }

                var number = value.GetDouble();
                Assert.True(Figure(number) == row[1], $"{what}: value {number} shown as '{row[1]}', expected '{Figure(number)}'");
                Assert.Equal(unit, row[2]);
                if (unit.Length > 0)
                {
                    Assert.DoesNotContain(unit, row[1], StringComparison.Ordinal);
                    Assert.True(row[3] == "true", $"{what}: the unit '{unit}' is not on a line of its own under the figure");
                    Assert.True(row[4] == "true", $"{what}: the unit '{unit}' is not muted");
                }
                if (number == Math.Floor(number))
                {
                    // A whole figure (every count) never shows decimals.
                    Assert.DoesNotContain(".", row[1], StringComparison.Ordinal);
                    counts.Add($"{what}={row[1]}");
                }
            }

            await watched.ScreenshotAsync($"console-component-values-{entity.Replace('/', '-')}.png", fullPage: true);
        }

        // The figures F5 quoted, counts of the April scenario: shown whole.
        Assert.Contains(counts, c => c.StartsWith("city/suifenhe asymptomatic=", StringComparison.Ordinal));
        Assert.Contains(counts, c => c.StartsWith("port/suifenhe-road importedCases=", StringComparison.Ordinal));
        watched.AssertClean();
    }

    // The rule the console writes a figure by, as the server writes it in explanations (Scales.Count; two significant
    // digits below 0.01 as the chance's expectation): "1,234", "381", "0.71", "12.5", "0.0003".
    private static string Figure(double value)
    {
        var size = Math.Abs(value);
        if (size > 0 && size < 0.01)
        {
            var decimals = 1 - (int)Math.Floor(Math.Log10(size));
            return value.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        }

        return value.ToString(size >= 100 ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);
    }
}
