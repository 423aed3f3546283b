using System.Globalization;
using System.Runtime.InteropServices;

namespace CloudSlicer.Media.Audio;

/// <summary>
/// One HE-AAC v1 encoder instance of the Fraunhofer library: interleaved s16 stereo PCM in, ADTS
/// frames out. Its buffers are allocated once, so encoding a long file allocates nothing per frame.
/// </summary>
internal sealed class FdkAacEncoder : IDisposable
{
    private const int Channels = 2;
    private const int BytesPerSample = 2;

    // Pinned (pinned object heap) arrays: the library reads and writes them in place, and their
    // addresses stay valid for the encoder's life without unsafe code.
    private readonly byte[] _pcm;
    private readonly byte[] _adts;
    private readonly nint[] _bufferPointers;
    private readonly int[] _inFields;
    private readonly int[] _outFields;
    private readonly AacEncBufDesc _inDesc;
    private readonly AacEncBufDesc _outDesc;
    private nint _handle;

    private FdkAacEncoder(nint handle, AacEncInfo info)
    {
        _handle = handle;
        FrameLength = (int)info.FrameLength;
        Delay = (int)info.NDelay;
        _pcm = GC.AllocateArray<byte>(FrameLength * Channels * BytesPerSample, pinned: true);
        _adts = GC.AllocateArray<byte>((int)info.MaxOutBufBytes, pinned: true);
        _bufferPointers = GC.AllocateArray<nint>(2, pinned: true);
        _bufferPointers[0] = Marshal.UnsafeAddrOfPinnedArrayElement(_pcm, 0);
        _bufferPointers[1] = Marshal.UnsafeAddrOfPinnedArrayElement(_adts, 0);

        // Each descriptor's identifier, size in bytes and element size, in that order.
        _inFields = GC.AllocateArray<int>(3, pinned: true);
        _inFields[0] = FdkAacNative.InAudioData;
        _inFields[2] = BytesPerSample;
        _outFields = GC.AllocateArray<int>(3, pinned: true);
        _outFields[0] = FdkAacNative.OutBitstreamData;
        _outFields[1] = _adts.Length;
        _outFields[2] = 1;
        _inDesc = Describe(_bufferPointers, 0, _inFields);
        _outDesc = Describe(_bufferPointers, 1, _outFields);
    }

    /// <summary>Samples per channel in one HE-AAC frame (2048: 1024 core samples at half the rate).</summary>
    public int FrameLength { get; }

    /// <summary>The codec delay in samples per channel: the priming a player must skip (the MP4 edit list).</summary>
    public int Delay { get; }

    /// <summary>Where the caller puts interleaved s16le stereo PCM: one frame's worth.</summary>
    public Memory<byte> Input => _pcm;

    /// <summary>The ADTS bytes of the last <see cref="Encode"/> call, at its start.</summary>
    public ReadOnlyMemory<byte> Output => _adts;

    /// <exception cref="MediaException">the library is missing or refuses the configuration.</exception>
    public static FdkAacEncoder Open(int sampleRate, int bitsPerSecond, bool afterburner = true)
    {
        var handle = OpenHandle(sampleRate, bitsPerSecond, afterburner, FdkAacNative.TransmuxAdts, signaling: null, out var info);
        try
        {
            return new FdkAacEncoder(handle, info);
        }
        catch
        {
            _ = FdkAacNative.aacEncClose(ref handle);   // nothing to do if closing fails
            throw;
        }
    }

    /// <summary>
    /// The AudioSpecificConfig an MP4 should carry for this encoder's frames: explicit hierarchical signalling
    /// (AOT 5 with the output rate, then AOT 2 at the core rate), read from the library's own <c>confBuf</c> for
    /// raw output. The ADTS frames the encoder writes can only signal SBR implicitly, which decoders then discover
    /// late; the MP4's esds gets this instead (<see cref="Mp4Esds"/>).
    /// </summary>
    /// <exception cref="MediaException">the library is missing or refuses the configuration.</exception>
    public static byte[] ExplicitConfig(int sampleRate, int bitsPerSecond)
    {
        var handle = OpenHandle(sampleRate, bitsPerSecond, afterburner: true, FdkAacNative.TransmuxRaw, FdkAacNative.SignalingExplicitHierarchical, out var info);
        _ = FdkAacNative.aacEncClose(ref handle);   // only its configuration was wanted
        ReadOnlySpan<byte> conf = info.ConfBuf;
        return conf[..(int)Math.Min(info.ConfSize, (uint)conf.Length)].ToArray();
    }

    private static nint OpenHandle(int sampleRate, int bitsPerSecond, bool afterburner, uint transmux, uint? signaling, out AacEncInfo info)
    {
        FdkAacLibrary.EnsureAvailable();
        nint handle = 0;
        try
        {
            Check(FdkAacNative.aacEncOpen(out handle, 0, Channels), "open");
            Set(handle, FdkAacNative.ParamAot, FdkAacNative.AotHeAacV1, "the HE-AAC v1 profile");
            Set(handle, FdkAacNative.ParamSampleRate, (uint)sampleRate, $"sample rate {sampleRate} Hz");
            Set(handle, FdkAacNative.ParamChannelMode, FdkAacNative.ChannelModeStereo, "stereo");
            Set(handle, FdkAacNative.ParamBitrate, (uint)bitsPerSecond, $"bit rate {bitsPerSecond / 1000} kbps");
            Set(handle, FdkAacNative.ParamTransmux, transmux, transmux == FdkAacNative.TransmuxAdts ? "ADTS output" : "raw output");
            if (signaling is { } mode)
            {
                Set(handle, FdkAacNative.ParamSignalingMode, mode, "explicit SBR signalling");
            }

            Set(handle, FdkAacNative.ParamAfterburner, afterburner ? 1u : 0u, "the afterburner");

            // All-null descriptors apply the parameters; a combination the library cannot do fails here.
            var applied = FdkAacNative.aacEncApply(handle, 0, 0, 0, 0);
            if (applied != FdkAacNative.Ok)
            {
                throw new MediaException(
                    $"HE-AAC encoder cannot do {bitsPerSecond / 1000} kbps stereo at {sampleRate} Hz ({Code(applied)}); choose another bit rate")
                { Permanent = true };
            }

            Check(FdkAacNative.aacEncInfo(handle, out info), "read its configuration");
            var opened = handle;
            handle = 0;
            return opened;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new MediaException(FdkAacLibrary.MissingMessage, ex);
        }
        finally
        {
            if (handle != 0)
            {
                _ = FdkAacNative.aacEncClose(ref handle);   // nothing to do if closing fails
            }
        }
    }

    /// <summary>
    /// Encodes the first <paramref name="inputBytes"/> of <see cref="Input"/> (whole stereo samples),
    /// or flushes when it is 0. Unconsumed input is moved to the start of <see cref="Input"/>.
    /// </summary>
    /// <returns>ADTS bytes now at the start of <see cref="Output"/>, or -1 once a flush has emptied the encoder.</returns>
    public int Encode(int inputBytes, out int leftoverBytes)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        var whole = inputBytes / (Channels * BytesPerSample) * (Channels * BytesPerSample);
        _inFields[1] = whole;
        var inArgs = new AacEncInArgs { NumInSamples = whole == 0 ? -1 : whole / BytesPerSample };
        var result = FdkAacNative.aacEncEncode(_handle, _inDesc, _outDesc, inArgs, out var outArgs);
        GC.KeepAlive(this);
        if (result == FdkAacNative.EncodeEof)
        {
            leftoverBytes = 0;
            return -1;
        }

        Check(result, "encode");
        var consumed = Math.Clamp(outArgs.NumInSamples * BytesPerSample, 0, whole);
        leftoverBytes = inputBytes - consumed;
        if (consumed > 0 && leftoverBytes > 0)
        {
            Array.Copy(_pcm, consumed, _pcm, 0, leftoverBytes);
        }

        return outArgs.NumOutBytes;
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = FdkAacNative.aacEncClose(ref _handle);   // nothing to do if closing fails
            _handle = 0;
        }
    }

    private static AacEncBufDesc Describe(nint[] bufferPointers, int index, int[] fields) => new()
    {
        NumBufs = 1,
        Bufs = Marshal.UnsafeAddrOfPinnedArrayElement(bufferPointers, index),
        BufferIdentifiers = Marshal.UnsafeAddrOfPinnedArrayElement(fields, 0),
        BufSizes = Marshal.UnsafeAddrOfPinnedArrayElement(fields, 1),
        BufElSizes = Marshal.UnsafeAddrOfPinnedArrayElement(fields, 2),
    };

    private static void Set(nint handle, int param, uint value, string what)
    {
        var result = FdkAacNative.aacEncoder_SetParam(handle, param, value);
        if (result != FdkAacNative.Ok)
        {
            throw new MediaException($"HE-AAC encoder does not support {what} ({Code(result)})") { Permanent = true };
        }
    }

    private static void Check(int result, string what)
    {
        if (result != FdkAacNative.Ok)
        {
            throw new MediaException($"HE-AAC encoder could not {what} ({Code(result)})");
        }
    }

    private static string Code(int result) => "AACENC error 0x" + result.ToString("x4", CultureInfo.InvariantCulture);
}
