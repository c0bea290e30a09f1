using Microsoft.Extensions.Logging;

namespace KafkaTyped.Producing;

/// <summary>The produce interceptors of one message type, in registration order (a sender holds one when any apply).</summary>
internal sealed class ProducePipeline<TMessage>(IProduceInterceptor<TMessage>[] interceptors, ILogger logger)
    where TMessage : class
{
    /// <summary>
    /// Runs every <see cref="IProduceInterceptor{TMessage}.OnProduce"/>. When one refuses the send (throws), those that
    /// already ran see the failure in <see cref="IProduceInterceptor{TMessage}.OnDelivered"/> and the exception goes on.
    /// </summary>
    public void Before(TMessage message, ProduceContext context)
    {
        for (var i = 0; i < interceptors.Length; i++)
        {
            try
            {
                interceptors[i].OnProduce(message, context);
            }
            catch (Exception exception)
            {
                context.Failed(exception);
                After(message, context, i);
                throw;
            }
        }
    }

    /// <summary>Runs every <see cref="IProduceInterceptor{TMessage}.OnDelivered"/>, last registered first; their exceptions are logged.</summary>
    public void After(TMessage message, ProduceContext context) => After(message, context, interceptors.Length);

    private void After(TMessage message, ProduceContext context, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            try
            {
                interceptors[i].OnDelivered(message, context);
            }
            catch (Exception exception)
            {
                ProducingLog.InterceptorFailed(logger, exception, interceptors[i].GetType().FullName, context.Topic);
            }
        }
    }
}
