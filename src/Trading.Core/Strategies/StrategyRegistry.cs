using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Trading.Core.Strategies;

/// <summary>
/// Maps kebab-case names to strategies: the built-ins, plus any loaded from a user's assembly. A strategy in an
/// external assembly is a public, non-abstract <see cref="IStrategy"/> with either a public static
/// <c>StrategyDescriptor Descriptor</c> property (parameters declared) or a public parameterless constructor (no
/// parameters). It is found by its descriptor's name, its type name, or the kebab-case of its type name.
/// </summary>
public sealed class StrategyRegistry
{
    private readonly List<StrategyDescriptor> _strategies = [];
    private readonly Dictionary<string, StrategyDescriptor> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A registry holding the built-in strategies.</summary>
    public static StrategyRegistry CreateDefault()
    {
        var registry = new StrategyRegistry();
        foreach (var d in BuiltInStrategies.All)
        {
            registry.Add(d);
        }

        return registry;
    }

    public IReadOnlyList<StrategyDescriptor> All => _strategies;

    /// <summary>Adds a strategy; throws when its name is already taken.</summary>
    public void Add(StrategyDescriptor descriptor, string? alias = null)
    {
        if (!_byName.TryAdd(descriptor.Name, descriptor))
        {
            throw new StrategyLoadException($"strategy '{descriptor.Name}' is already registered");
        }

        if (alias is not null && !string.Equals(alias, descriptor.Name, StringComparison.OrdinalIgnoreCase))
        {
            _byName.TryAdd(alias, descriptor);
        }

        _strategies.Add(descriptor);
    }

    public bool TryGet(string name, out StrategyDescriptor descriptor) => _byName.TryGetValue(name, out descriptor!);

    /// <summary>The strategy called <paramref name="name"/>; throws <see cref="StrategyLoadException"/> listing the known names.</summary>
    public StrategyDescriptor Get(string name) =>
        TryGet(name, out var d)
            ? d
            : throw new StrategyLoadException($"unknown strategy '{name}' (known: {string.Join(", ", _strategies.Select(s => s.Name))})");

    /// <summary>
    /// Loads the strategies of the assembly at <paramref name="path"/> into the default load context (so it shares
    /// this process's Trading.Core) and registers them. Returns the descriptors added.
    /// </summary>
    public IReadOnlyList<StrategyDescriptor> LoadAssembly(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new StrategyLoadException($"strategy assembly not found: {path}");
        }

        Assembly assembly;
        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new StrategyLoadException($"{path}: not a loadable .NET assembly ({e.Message})");
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new StrategyLoadException($"{path}: cannot load its types ({e.LoaderExceptions.FirstOrDefault()?.Message})");
        }

        var added = new List<StrategyDescriptor>();
        foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var descriptor = Describe(type);
            if (descriptor is not null)
            {
                Add(descriptor, alias: type.Name);
                added.Add(descriptor);
            }
        }

        if (added.Count == 0)
        {
            throw new StrategyLoadException($"{path}: no public IStrategy types found");
        }

        return added;
    }

    /// <summary><c>MyRsiStrategy</c> → <c>my-rsi-strategy</c>.</summary>
    public static string ToKebabCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static StrategyDescriptor? Describe(Type type)
    {
        if (!type.IsClass || type.IsAbstract || !typeof(IStrategy).IsAssignableFrom(type))
        {
            return null;
        }

        var property = type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static);
        if (property?.PropertyType == typeof(StrategyDescriptor))
        {
            return (StrategyDescriptor?)property.GetValue(null)
                ?? throw new StrategyLoadException($"{type.FullName}.Descriptor returned null");
        }

        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new StrategyLoadException($"{type.FullName}: needs a public static Descriptor property or a public parameterless constructor");
        }

        return new StrategyDescriptor(ToKebabCase(type.Name), type.FullName ?? type.Name, [], _ => (IStrategy)Activator.CreateInstance(type)!);
    }
}
