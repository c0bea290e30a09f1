using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Testing;
using KafkaTyped.CodeFixes;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Tests;

public sealed class CodeFixTests
{
    [Fact]
    public Task MakesMessagePartial() => CodeFixRunner.VerifyAsync(
        new MakePartialCodeFixProvider(),
        DiagnosticIds.TypeMustBePartial,
        ["""
        [KafkaMessage]
        public sealed record Order([Field(1)] string Id);
        """],
        """
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id);
        """);

    [Fact]
    public Task MakesConsumerGroupWithoutModifiersPartial() => CodeFixRunner.VerifyAsync(
        new MakePartialCodeFixProvider(),
        DiagnosticIds.TypeMustBePartial,
        ["""
        [ConsumerGroup("billing")]
        class Billing : IHandle<OrderPlaced> { public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default; }
        """, Messages],
        """
        [ConsumerGroup("billing")]
        partial class Billing : IHandle<OrderPlaced> { public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default; }
        """);

    [Fact]
    public Task MakesContainingTypesPartial() => CodeFixRunner.VerifyAsync(
        new MakePartialCodeFixProvider(),
        DiagnosticIds.ContainingTypeMustBePartial,
        ["""
        public static class Outer
        {
            internal sealed class Middle
            {
                [ConsumerGroup("billing")]
                public sealed partial class Billing : IHandle<OrderPlaced> { public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default; }
            }
        }
        """, Messages],
        """
        public static partial class Outer
        {
            internal sealed partial class Middle
            {
                [ConsumerGroup("billing")]
                public sealed partial class Billing : IHandle<OrderPlaced> { public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default; }
            }
        }
        """);

    [Fact]
    public Task NumbersEveryUnnumberedMember() => CodeFixRunner.VerifyAsync(
        new AddFieldNumbersCodeFixProvider(),
        DiagnosticIds.MissingFieldNumber,
        ["""
        [Reserved(3)]
        [KafkaMessage]
        public sealed partial record Order([Field(1), Key] string Id, long Amount, [Field(2)] string Note)
        {
            public string Extra { get; init; } = "";
        }
        """],
        """
        [Reserved(3)]
        [KafkaMessage]
        public sealed partial record Order([Field(1), Key] string Id, [Field(4)] long Amount, [Field(2)] string Note)
        {
            [Field(5)]
            public string Extra { get; init; } = "";
        }
        """,
        title: "Number every unnumbered member");

    [Fact]
    public Task NumbersOneMember() => CodeFixRunner.VerifyAsync(
        new AddFieldNumbersCodeFixProvider(),
        DiagnosticIds.MissingFieldNumber,
        ["""
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id, long Amount);
        """],
        """
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id, [Field(2)] long Amount);
        """);

    [Fact]
    public Task NumbersWithQualifiedNameWhenNamespaceIsNotImported() => CodeFixRunner.VerifyAsync(
        new AddFieldNumbersCodeFixProvider(),
        DiagnosticIds.MissingFieldNumber,
        ["""
        namespace Shop
        {
            using KT = KafkaTyped;

            [KT.KafkaMessage]
            public sealed partial record Order
            {
                public string Id { get; set; } = "";
            }
        }
        """],
        """
        namespace Shop
        {
            using KT = KafkaTyped;

            [KT.KafkaMessage]
            public sealed partial record Order
            {
                [global::KafkaTyped.Field(1)]
                public string Id { get; set; } = "";
            }
        }
        """,
        usings: string.Empty);

    [Fact]
    public Task FixAllNumbersEveryMessageInTheDocument() => CodeFixRunner.VerifyFixAllAsync(
        new AddFieldNumbersCodeFixProvider(),
        DiagnosticIds.MissingFieldNumber,
        ["""
        [KafkaMessage]
        public sealed partial record Order(string Id, long Amount);

        [KafkaMessage]
        public sealed partial record Refund([Field(7)] string Id, long Amount);
        """],
        """
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id, [Field(2)] long Amount);

        [KafkaMessage]
        public sealed partial record Refund([Field(7)] string Id, [Field(8)] long Amount);
        """,
        "KafkaTyped.AddFieldNumber");

    [Fact]
    public Task AddsZeroEnumValue() => CodeFixRunner.VerifyAsync(
        new AddZeroEnumValueCodeFixProvider(),
        DiagnosticIds.EnumWithoutZeroValue,
        ["""
        public enum Status
        {
            Open = 1,
            Closed = 2,
        }

        [KafkaMessage]
        public sealed partial record Order([Field(1)] Status Status);
        """],
        """
        public enum Status
        {
            Unspecified = 0,
            Open = 1,
            Closed = 2,
        }

        [KafkaMessage]
        public sealed partial record Order([Field(1)] Status Status);
        """);

    private const string Messages = """
        [KafkaMessage] public sealed partial record OrderPlaced([Field(1)] string Id);
        """;

    [Fact]
    public Task AddsTheConsumerGroupAHandlerClassLacks() => CodeFixRunner.VerifyAsync(
        new AddConsumerGroupCodeFixProvider(),
        DiagnosticIds.HandlerWithoutConsumerGroup,
        ["""
        namespace Shop
        {
            /// <summary>Bills orders.</summary>
            public sealed partial class OrderBilling : IHandle<OrderPlaced>
            {
                public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """, Messages],
        """
        namespace Shop
        {
            /// <summary>Bills orders.</summary>
            [ConsumerGroup("order-billing")]
            public sealed partial class OrderBilling : IHandle<OrderPlaced>
            {
                public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """);

    [Fact]
    public Task RemovesTheConsumerGroupOfAClassWithoutHandlers() => CodeFixRunner.VerifyAsync(
        new RemoveConsumerGroupCodeFixProvider(),
        DiagnosticIds.ConsumerGroupWithoutHandlers,
        ["""
        namespace Shop
        {
            [ConsumerGroup("audit")]
            public sealed partial class Audit { }
        }
        """],
        """
        namespace Shop
        {
            public sealed partial class Audit { }
        }
        """);

    [Fact]
    public Task FixesVoidHandler() => CodeFixRunner.VerifyAsync(
        new FixHandlerSignatureCodeFixProvider(),
        DiagnosticIds.HandlerSignatureMismatch,
        ["""
        [ConsumerGroup("billing")]
        public sealed partial class Billing
        {
            private int _count;

            void Handle(OrderPlaced order, CancellationToken ct)
            {
                if (order.Id.Length == 0)
                {
                    return;
                }

                _count++;
            }
        }
        """, Messages],
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>
        {
            private int _count;

            public ValueTask HandleAsync(OrderPlaced order, MessageContext context, CancellationToken ct)
            {
                if (order.Id.Length == 0)
                {
                    return default;
                }

                _count++;
                return default;
            }
        }
        """);

    [Fact]
    public Task FixesTaskHandler() => CodeFixRunner.VerifyAsync(
        new FixHandlerSignatureCodeFixProvider(),
        DiagnosticIds.HandlerSignatureMismatch,
        ["""
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>
        {
            public Task HandleAsync(OrderPlaced message) => Task.CompletedTask;
        }
        """, Messages],
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => new ValueTask(Task.CompletedTask);
        }
        """);

    [Fact]
    public Task FixesAsyncVoidHandler() => CodeFixRunner.VerifyAsync(
        new FixHandlerSignatureCodeFixProvider(),
        DiagnosticIds.AsyncVoidHandler,
        ["""
        [ConsumerGroup("billing")]
        public sealed partial class Billing
        {
            public async void HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
            }
        }
        """, Messages],
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>
        {
            public async ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
            }
        }
        """);

    private const string RemovedFieldsBaseline = """
        syntax = "proto3";
        package shop.orders;
        message OrderCancelled {
          string order_id = 1;
          string reason = 2;
          int64 refund_cents = 3;
        }
        message OrderPlaced {
          string order_id = 1;
          string coupon = 4;
        }
        """;

    [Fact]
    public Task ReservesARemovedField() => CodeFixRunner.VerifyAsync(
        new ReserveRemovedFieldCodeFixProvider(),
        DiagnosticIds.RemovedFieldNotReserved,
        ["""
        namespace Shop.Orders
        {
            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string OrderId);
        }
        """],
        """
        namespace Shop.Orders
        {
            [Reserved(4)]
            [Reserved("coupon")]
            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string OrderId);
        }
        """,
        additionalFiles: InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/order_placed.proto", """
            syntax = "proto3";
            package shop.orders;
            message OrderPlaced { string order_id = 1; string coupon = 4; }
            """)));

    [Fact]
    public Task FixAllReservesEveryRemovedFieldOnce() => CodeFixRunner.VerifyFixAllAsync(
        new ReserveRemovedFieldCodeFixProvider(),
        DiagnosticIds.RemovedFieldNotReserved,
        ["""
        namespace Shop.Orders
        {
            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1)] string OrderId);

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string OrderId);
        }
        """],
        """
        namespace Shop.Orders
        {
            [Reserved(2, 3)]
            [Reserved("reason", "refund_cents")]
            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1)] string OrderId);

            [Reserved(4)]
            [Reserved("coupon")]
            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string OrderId);
        }
        """,
        "KafkaTyped.ReserveRemovedField",
        InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/orders.proto", RemovedFieldsBaseline)));

    [Fact]
    public Task KeepsTheBaselineNameOfARenamedMessage() => CodeFixRunner.VerifyAsync(
        new KeepMessageNameCodeFixProvider(),
        DiagnosticIds.MessageRenamed,
        ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string OrderId) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderWithdrawn([Field(1)] string OrderId) : IOrderEvents;
        }
        """],
        """
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string OrderId) : IOrderEvents;

            [KafkaMessage(Name = "OrderCancelled")]
            public sealed partial record OrderWithdrawn([Field(1)] string OrderId) : IOrderEvents;
        }
        """,
        additionalFiles: InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/order_events.proto", """
            syntax = "proto3";
            package shop.orders;
            message OrderPlaced { string order_id = 1; }
            message OrderCancelled { string order_id = 1; }
            """)),
        // KT0306 compares the whole set, so it is a compilation-end (non-local) diagnostic; IDEs still offer its fix.
        behaviors: Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck);

    [Fact]
    public Task FixesDeclarationsAtColumnZero() => CodeFixRunner.VerifyAsync(
        new ReserveRemovedFieldCodeFixProvider(),
        DiagnosticIds.RemovedFieldNotReserved,
        ["""
        namespace Shop.Orders;

        [KafkaMessage]
        public sealed partial record OrderPlaced([Field(1)] string OrderId);
        """],
        """
        namespace Shop.Orders;

        [Reserved(4)]
        [Reserved("coupon")]
        [KafkaMessage]
        public sealed partial record OrderPlaced([Field(1)] string OrderId);
        """,
        additionalFiles: InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/order_placed.proto", """
            syntax = "proto3";
            package shop.orders;
            message OrderPlaced { string order_id = 1; string coupon = 4; }
            """)));

    /// <summary>The fixed member is also formatted (Formatter.Annotation), so it moves to the standard indentation.</summary>
    [Fact]
    public Task NumbersAPropertyAtColumnZero() => CodeFixRunner.VerifyAsync(
        new AddFieldNumbersCodeFixProvider(),
        DiagnosticIds.MissingFieldNumber,
        ["""
        [KafkaMessage]
        public sealed partial record Order
        {
        public string Id { get; set; } = "";
        }
        """],
        """
        [KafkaMessage]
        public sealed partial record Order
        {
            [Field(1)]
            public string Id { get; set; } = "";
        }
        """);
}
