using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ImageProxy.Server.Tests.Origins.Contract;

// fake-gcs BUCKET OBJECT FILE KEYDIR
// Serves FILE as gs://BUCKET/OBJECT through the fake JSON API on a free loopback port, writes a
// service-account key file (trusted by this fake only) into KEYDIR, prints "endpoint=URL keyfile=PATH"
// on one line and runs until it is stopped (SIGTERM / Ctrl-C).
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: fake-gcs BUCKET OBJECT FILE KEYDIR");
    return 2;
}

var (bucket, name, file, keyDirectory) = (args[0], args[1], args[2], args[3]);
using var key = RSA.Create(2048);
await using var server = new FakeGcsServer(key);
await server.StartAsync();
server.Put(bucket, name, await File.ReadAllBytesAsync(file), "image/jpeg");
var keyFile = server.WriteKeyFile(keyDirectory, key, "demo");
Console.WriteLine($"endpoint={server.BaseUrl} keyfile={keyFile}");

// The fake's own host swallows SIGTERM/SIGINT (it only stops itself), so the program listens for them too.
var stop = new TaskCompletionSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stop.TrySetResult());
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stop.TrySetResult());
await stop.Task;
return 0;
