using System.Net.Sockets;

namespace EventLoop.Backends;

/// <summary>Linux errno values as the runtime reports them (<see cref="SocketError"/>), for the backends that make the calls themselves.</summary>
internal static class Errno
{
    public static SocketError ToSocketError(int errno) => errno switch
    {
        0 => SocketError.Success,
        Libc.ECANCELED => SocketError.OperationAborted,
        9 => SocketError.OperationAborted,            // EBADF: the socket was closed under the operation
        4 => SocketError.Interrupted,                 // EINTR
        11 => SocketError.WouldBlock,                 // EAGAIN
        13 => SocketError.AccessDenied,               // EACCES
        22 => SocketError.InvalidArgument,            // EINVAL
        32 => SocketError.Shutdown,                   // EPIPE
        88 => SocketError.NotSocket,                  // ENOTSOCK
        90 => SocketError.MessageSize,                // EMSGSIZE
        97 => SocketError.AddressFamilyNotSupported,  // EAFNOSUPPORT
        98 => SocketError.AddressAlreadyInUse,        // EADDRINUSE
        99 => SocketError.AddressNotAvailable,        // EADDRNOTAVAIL
        100 => SocketError.NetworkDown,               // ENETDOWN
        101 => SocketError.NetworkUnreachable,        // ENETUNREACH
        102 => SocketError.NetworkReset,              // ENETRESET
        103 => SocketError.ConnectionAborted,         // ECONNABORTED
        104 => SocketError.ConnectionReset,           // ECONNRESET
        105 => SocketError.NoBufferSpaceAvailable,    // ENOBUFS
        106 => SocketError.IsConnected,               // EISCONN
        107 => SocketError.NotConnected,              // ENOTCONN
        110 => SocketError.TimedOut,                  // ETIMEDOUT
        111 => SocketError.ConnectionRefused,         // ECONNREFUSED
        112 => SocketError.HostDown,                  // EHOSTDOWN
        113 => SocketError.HostUnreachable,           // EHOSTUNREACH
        Libc.EALREADY => SocketError.AlreadyInProgress,
        Libc.EINPROGRESS => SocketError.InProgress,
        _ => SocketError.SocketError,
    };
}
