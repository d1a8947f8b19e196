using RiskMesh.Abstractions;

namespace RiskMesh.Api.Endpoints;

/// <summary>References to country, port and city grains by key, for the read endpoints.</summary>
/// <remarks>
/// <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type on every call, by formatting and parsing its
/// type name (profiled: a tenth of a cached GET's allocations). The grain type and interface type are the same for
/// every key, so they are resolved once here and each reference is made from its <see cref="GrainId"/>.
/// </remarks>
public sealed class EntityGrainReferences(IGrainFactory grains)
{
    private readonly Resolver<ICountryGrain> _countries = new(grains);
    private readonly Resolver<IPortGrain> _ports = new(grains);
    private readonly Resolver<ICityGrain> _cities = new(grains);

    /// <summary>The grain of a country (normalised ISO code).</summary>
    public ICountryGrain Country(string code) => _countries.Get(code);

    /// <summary>The grain of a port.</summary>
    public IPortGrain Port(string id) => _ports.Get(id);

    /// <summary>The grain of a city.</summary>
    public ICityGrain City(string id) => _cities.Get(id);

    private sealed class Resolver<T>(IGrainFactory grains)
        where T : IGrainWithStringKey
    {
        private Types? _types;

        public T Get(string key)
        {
            var types = _types ??= Resolve();
            return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }

        private Types Resolve()
        {
            // Any key will do: only the reference's types are read, no grain is called or activated.
            var sample = (GrainReference)(object)grains.GetGrain<T>("-");
            return new Types(sample.GrainId.Type, sample.InterfaceType);
        }
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
