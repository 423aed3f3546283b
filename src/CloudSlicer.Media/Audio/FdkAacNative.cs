using System.Runtime.InteropServices;

namespace CloudSlicer.Media.Audio;

/// <summary>
/// The encoder half of the Fraunhofer FDK AAC C API (aacenc_lib.h of fdk-aac 2.0.2, Debian's
/// libfdk-aac2), declared exactly as the header does. DllImport rather than LibraryImport: every
/// argument is blittable, so no marshalling code is generated and the project needs no unsafe blocks.
/// </summary>
internal static class FdkAacNative
{
    public const string LibraryName = "libfdk-aac.so.2";

    // AACENC_ERROR
    public const int Ok = 0x0000;
    public const int EncodeEof = 0x0080;

    // AACENC_BufferIdentifier
    public const int InAudioData = 0;
    public const int OutBitstreamData = 3;

    // AACENC_PARAM
    public const int ParamAot = 0x0100;
    public const int ParamBitrate = 0x0101;
    public const int ParamSampleRate = 0x0103;
    public const int ParamChannelMode = 0x0106;
    public const int ParamAfterburner = 0x0200;
    public const int ParamTransmux = 0x0300;
    public const int ParamSignalingMode = 0x0302;

    // AUDIO_OBJECT_TYPE, CHANNEL_MODE, TRANSPORT_TYPE values this project uses.
    public const uint AotHeAacV1 = 5;
    public const uint ChannelModeStereo = 2;
    public const uint TransmuxAdts = 2;
    public const uint TransmuxRaw = 0;

    // AACENC_SIGNALING_MODE: 2 is explicit hierarchical (AOT 5, then the core's AOT 2), what an MP4 should carry.
    public const uint SignalingExplicitHierarchical = 2;

    [DllImport(LibraryName, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int aacEncOpen(out nint phAacEncoder, uint encModules, uint maxChannels);

    [DllImport(LibraryName, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int aacEncClose(ref nint phAacEncoder);

    [DllImport(LibraryName, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int aacEncoder_SetParam(nint hAacEncoder, int param, uint value);

    /// <summary>With all four descriptors null it applies the parameters (the header's "initialise" call).</summary>
    [DllImport(LibraryName, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int aacEncEncode(
        nint hAacEncoder, in AacEncBufDesc inBufDesc, in AacEncBufDesc outBufDesc, in AacEncInArgs inArgs, out AacEncOutArgs outArgs);

    [DllImport(LibraryName, EntryPoint = "aacEncEncode", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int aacEncApply(nint hAacEncoder, nint inBufDesc, nint outBufDesc, nint inArgs, nint outArgs);

    [DllImport(LibraryName, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int aacEncInfo(nint hAacEncoder, out AacEncInfo pInfo);
}

/// <summary>AACENC_BufDesc: INT numBufs; void **bufs; INT *bufferIdentifiers; INT *bufSizes; INT *bufElSizes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AacEncBufDesc
{
    public int NumBufs;
    public nint Bufs;
    public nint BufferIdentifiers;
    public nint BufSizes;
    public nint BufElSizes;
}

/// <summary>AACENC_InArgs: INT numInSamples (all channels; -1 flushes); INT numAncBytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AacEncInArgs
{
    public int NumInSamples;
    public int NumAncBytes;
}

/// <summary>AACENC_OutArgs: INT numOutBytes; INT numInSamples; INT numAncBytes; INT bitResState.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AacEncOutArgs
{
    public int NumOutBytes;
    public int NumInSamples;
    public int NumAncBytes;
    public int BitResState;
}

/// <summary>AACENC_InfoStruct: seven UINTs, UCHAR confBuf[64], UINT confSize (92 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AacEncInfo
{
    public uint MaxOutBufBytes;
    public uint MaxAncBytes;
    public uint InBufFillLevel;
    public uint InputChannels;
    public uint FrameLength;
    public uint NDelay;
    public uint NDelayCore;
    public ConfBuffer ConfBuf;
    public uint ConfSize;

    [System.Runtime.CompilerServices.InlineArray(64)]
    public struct ConfBuffer
    {
        private byte _element;
    }
}
