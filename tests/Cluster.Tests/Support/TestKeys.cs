namespace Cluster.Tests.Support;

/// <summary>The admin key cluster-mode tests configure as <c>Security:BootstrapAdminKey</c>.</summary>
public static class TestKeys
{
    public const string Admin = "test-bootstrap-admin-key-4f1c2a";

    public const string BootstrapSetting = "--Security:BootstrapAdminKey=" + Admin;
}
