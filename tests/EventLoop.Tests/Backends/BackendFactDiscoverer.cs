using Xunit.Abstractions;
using Xunit.Sdk;

namespace EventLoop.Tests.Backends;

/// <summary>Discovers a <see cref="BackendFactAttribute"/> test as a normal fact, or as skipped when the machine refuses the class's backend.</summary>
public sealed class BackendFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var type = testMethod.TestClass.Class.ToRuntimeType();
        var backend = (ContractBackendAttribute?)Attribute.GetCustomAttribute(type, typeof(ContractBackendAttribute));
        string? refused = backend is null ? null : Unavailable(backend);
        if (refused is not null)
        {
            return [new XunitSkippedDataRowTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, refused)];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }

    /// <summary>Null if a loop on that backend can be made here, else why not.</summary>
    private static string? Unavailable(ContractBackendAttribute a)
    {
        try
        {
            using var loop = new Loop(a.Options());
            return null;
        }
        catch (NotSupportedException e)
        {
            return e.Message;
        }
    }
}
