// netstandard2.0 lacks this marker type; records and init accessors need it. No polyfill package is used on purpose.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
