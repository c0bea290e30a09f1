using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Hosting;

/// <summary>
/// One <c>AddConsumeInterceptor</c>/<c>AddProduceInterceptor</c> call, kept in DI in registration order (the order the
/// interceptors run in).
/// </summary>
/// <param name="Produce">A produce interceptor (else a consume interceptor).</param>
/// <param name="Implementation">The interceptor class, or its open generic definition.</param>
/// <param name="Message">The intercepted message type; null for an open generic (any message its constraints allow).</param>
/// <param name="Lifetime">The interceptor's DI lifetime.</param>
internal sealed record InterceptorRegistration(bool Produce, Type Implementation, Type? Message, ServiceLifetime Lifetime);
