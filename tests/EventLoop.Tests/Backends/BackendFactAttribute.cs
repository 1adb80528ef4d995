using Xunit.Sdk;

namespace EventLoop.Tests.Backends;

/// <summary>
/// A fact of the backend contract: skipped, with the kernel's reason, on a machine that refuses the backend of the
/// test class (its <see cref="ContractBackendAttribute"/>). xunit 2 has no run-time skip, so the discoverer decides.
/// </summary>
[XunitTestCaseDiscoverer("EventLoop.Tests.Backends.BackendFactDiscoverer", "EventLoop.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackendFactAttribute : FactAttribute
{
}
