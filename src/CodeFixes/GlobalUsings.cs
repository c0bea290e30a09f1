// The namespaces every code fix here uses (Roslyn's syntax, semantics and code actions, the diagnostics catalog, MEF's
// [Shared]), imported once instead of at the top of each provider.
global using System.Collections.Generic;
global using System.Collections.Immutable;
global using System.Composition;
global using System.Linq;
global using System.Threading;
global using System.Threading.Tasks;
global using KafkaTyped.Roslyn.Diagnostics;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.CodeActions;
global using Microsoft.CodeAnalysis.CodeFixes;
global using Microsoft.CodeAnalysis.CSharp;
global using Microsoft.CodeAnalysis.CSharp.Syntax;
