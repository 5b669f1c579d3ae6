namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// A fixture that shares one default <see cref="HostileProxy"/> and its client across its tests; for fixtures that need
/// no special settings (those that do build their own <see cref="HostileProxy"/>).
/// </summary>
public abstract class HostileProxyFixture
{
    protected HostileProxy App { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartProxy()
    {
        App = new HostileProxy();
        Client = App.CreateClient();
    }

    [OneTimeTearDown]
    public void StopProxy()
    {
        Client.Dispose();
        App.Dispose();
    }
}
