using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Quant.Bench.EventLoopBench;

/// <summary>The baseline of <c>loop-echo</c>: the same ping-pong with plain async/await sockets on the thread pool.</summary>
internal static class AsyncEcho
{
    public static LoopEchoBench.EchoResult Run(int connections, TimeSpan warmup, TimeSpan window)
    {
        var control = new LoopEchoBench.Control();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        var endPoint = listener.LocalEndPoint!;
        var serverTasks = new List<Task>();
        var acceptTask = Task.Run(async () =>
        {
            for (int i = 0; i < connections; i++)
            {
                var s = await listener.AcceptAsync();
                s.NoDelay = true;
                serverTasks.Add(ServeAsync(s));
            }
        });
        var clientTasks = Enumerable.Range(0, connections).Select(_ => Task.Run(() => ClientAsync(endPoint, control))).ToArray();
        var result = control.Measure(warmup, window);
        Task.WaitAll(clientTasks);
        acceptTask.Wait();
        Task.WaitAll([.. serverTasks]);
        return result;
    }

    private static async Task ServeAsync(Socket s)
    {
        var buffer = new byte[4096];
        using (s)
        {
            while (true)
            {
                int n = await s.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
        }
    }

    private static async Task ClientAsync(EndPoint endPoint, LoopEchoBench.Control control)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(endPoint);
        var message = new byte[LoopEchoBench.MessageSize];
        var received = new byte[LoopEchoBench.MessageSize];
        while (!control.Stopping)
        {
            long start = Stopwatch.GetTimestamp();
            await s.SendAsync(message.AsMemory(), SocketFlags.None);
            int filled = 0;
            while (filled < received.Length)
            {
                int n = await s.ReceiveAsync(received.AsMemory(filled), SocketFlags.None);
                if (n == 0)
                {
                    throw new InvalidOperationException("server closed early");
                }

                filled += n;
            }

            control.Record(start);
        }

        s.Shutdown(SocketShutdown.Both);
    }
}
