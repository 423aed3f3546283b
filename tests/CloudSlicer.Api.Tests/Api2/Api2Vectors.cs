namespace CloudSlicer.Api.Tests.Api2;

/// <summary>Known-good messages: DESIGN.md section 3's test vector, and one produced by real Python in Python 2 style.</summary>
internal static class Api2Vectors
{
    public const int MiB = 1_048_576;

    // DESIGN.md section 3, verbatim.
    public const string Owner = "1234567890abcdefghijklmnopqrstu";
    public const string Key = "1234567890abcdefghijklmnopqrstuvwxyz1234";
    public const long Timestamp = 1_700_000_000;
    public const string Json = "{\"id\": \"0dce9166be404672a7dd0d28d7257587\", \"_owner\": \"1234567890abcdefghijklmnopqrstu\", \"_timestamp\": 1700000000}";
    public const string Msg = "eNoty00SwiAMQOGrdLJ2ERAIeBmHklRR6Q+l48Lx7mrHt/7eCzLDqQPkJEE514tB40hHYkbWnklbsp7g0MF5eo5Sf1rpo7GOfMDYJ5bhcs23+6OM07zUtW07brnI2mKZv4Mi/Pf+AAXFIKQ=";
    public const string Sig = "99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6dd3";

    // Produced by CPython: json.dumps(payload) -> zlib.compress(_, 9) -> base64.encodebytes (Python 2's
    // encodestring: "\n" every 76 characters and at the end) -> hmac.new(Key, msg, sha256).hexdigest().
    public const string Python2Json = "{\"source\": {\"url\": \"https://media.example.com/videos/big_buck_bunny_1080p.mp4\"}, \"args\": {\"description\": \"Big Buck Bunny \\u2014 \\u00fcn\\u00efcode \\ud83d\\ude00\", \"trim\": \"1000,60000\", \"meta_int\": [1, 2.5, true, null]}, \"_owner\": \"1234567890abcdefghijklmnopqrstu\", \"_timestamp\": 1700000000}";
    public const string Python2Msg =
        "eNotj8luwzAMRH9F0NmwKcdJ3BzzG21hyBLtqLGWaumCIP9eyigPM8AQb0A+ePIlKuQX9uAlbuT8\n"
        + "lnNIl66zqI1s8UfasGGrvO2+jEafutms01zUncS530nACKG1YeDPhnEZ17S3aUwqmpCNd7X1alZ2\n"
        + "JYiEIPZWehADGcCiXDVclNdIiR4PmhQBOPXlaGzlBQA0J5I9tZjlZFymzatoWN8eG5ZjwYa5sm3v\n"
        + "9ZDJfzuMO9ofhuPpPL6AnJXGZb2Zj/tmnQ+fMeVS+6ZsLKZMrxIgzvA/zz/FoVqK\n";
    public const string Python2Sig = "0bea8c216e715bc477c37d74c311a50837ecadaf2be4fb9f80b9db13de1f9e9d";
}
