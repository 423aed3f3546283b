"""The public api2 helper, as Cloud Slicer clients use it, pointed at CloudSlicer.

    from uplynk_api2_auth import Call
    print(Call('/api2/cloudslicer/jobs/create', source={'url': 'https://example.com/video.mp4'},
               args={'trim': '5000,10000', 'description': 'My file'}))

ROOT_URL, OWNER and SECRET come from the environment (CLOUDSLICER_URL, CLOUDSLICER_OWNER,
CLOUDSLICER_SECRET). Only the root URL differs from the hosted service's helper. Python 3, standard
library only.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse
import urllib.request
import zlib

ROOT_URL = os.environ.get('CLOUDSLICER_URL', 'http://127.0.0.1:8080')
OWNER = os.environ.get('CLOUDSLICER_OWNER', '')
SECRET = os.environ.get('CLOUDSLICER_SECRET', '')


def Call(uri, **msg):
    msg = dict(msg, _owner=OWNER, _timestamp=int(time.time()))
    msg = base64.b64encode(zlib.compress(json.dumps(msg).encode('utf-8'), 9))
    sig = hmac.new(SECRET.encode('utf-8'), msg, hashlib.sha256).hexdigest()
    body = urllib.parse.urlencode(dict(msg=msg.decode('ascii'), sig=sig)).encode('ascii')
    with urllib.request.urlopen(ROOT_URL + uri, body) as response:
        return json.loads(response.read())


if __name__ == '__main__':
    # python3 tools/uplynk_api2_auth.py /api2/cloudslicer/jobs/get '{"id": "..."}'
    params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(Call(sys.argv[1], **params), indent=4))
