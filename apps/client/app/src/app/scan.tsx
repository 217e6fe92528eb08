// The QR scanner: asks for the camera with a sentence saying why, explains a denied
// permission with a way to Settings, and on a `localllm://connect/<code>` (or bare code) QR
// code goes back to the Connect screen with the ID filled in and connects. The code is
// checked (parsePairingCode: length and checksum) before anything is sent to the worklet.
import { CameraView, useCameraPermissions, type BarcodeScanningResult } from 'expo-camera'
import { useRouter } from 'expo-router'
import { useRef, useState } from 'react'
import { Linking, StyleSheet, Text, View } from 'react-native'
import { parsePairingCode } from '@localllm/protocol'
import { Button } from '../components/button'
import { useTheme } from '../components/theme'
import { handOffScannedId } from '../state/scan-handoff'
import { useSession } from '../state/session-provider'

export const CAMERA_WHY =
  'LocalLLM uses the camera only to scan the QR code shown on the host computer, so you don’t have to type its Server ID.'
export const CAMERA_DENIED =
  'Camera access is turned off for LocalLLM, so it can’t scan the QR code. Turn on Camera for LocalLLM in Settings, or go back and paste the Server ID instead.'
export const NOT_A_SERVER_ID =
  'That QR code isn’t a LocalLLM Server ID. Scan the code shown in LocalLLM on the host.'

export default function ScanScreen() {
  const theme = useTheme()
  const router = useRouter()
  const { connect } = useSession()
  const [permission, requestPermission] = useCameraPermissions()
  const [invalid, setInvalid] = useState(false)
  // The camera reports the same code many times a second: act on the first good one.
  const done = useRef(false)

  const onScanned = ({ data }: BarcodeScanningResult) => {
    if (done.current) return
    const parsed = parsePairingCode(data)
    if (!parsed.ok) {
      setInvalid(true)
      return
    }
    done.current = true
    handOffScannedId(parsed.code)
    // Back first: the Connect screen goes on to the chat once connected.
    router.back()
    connect(parsed.code)
  }

  if (!permission) {
    return <View style={[styles.screen, { backgroundColor: theme.background }]} />
  }

  if (!permission.granted) {
    const denied = permission.status === 'denied' && !permission.canAskAgain
    return (
      <View style={[styles.screen, styles.ask, { backgroundColor: theme.background }]}>
        <Text style={[styles.sentence, { color: theme.text }]}>
          {denied ? CAMERA_DENIED : CAMERA_WHY}
        </Text>
        {denied ? (
          <Button title='Open Settings' onPress={() => void Linking.openSettings()} />
        ) : (
          <Button title='Allow camera' onPress={() => void requestPermission()} />
        )}
        <Button title='Paste the ID instead' kind='plain' onPress={() => router.back()} />
      </View>
    )
  }

  return (
    <View style={[styles.screen, { backgroundColor: '#000000' }]}>
      <CameraView
        style={styles.camera}
        facing='back'
        barcodeScannerSettings={{ barcodeTypes: ['qr'] }}
        onBarcodeScanned={onScanned}
      />
      <View style={styles.hint}>
        <Text accessibilityLiveRegion='polite' style={styles.hintText}>
          {invalid ? NOT_A_SERVER_ID : 'Point the camera at the QR code shown on the host.'}
        </Text>
      </View>
    </View>
  )
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  ask: { padding: 24, gap: 16, justifyContent: 'center' },
  sentence: { fontSize: 17, lineHeight: 24 },
  camera: { flex: 1 },
  hint: { position: 'absolute', left: 16, right: 16, bottom: 48 },
  hintText: {
    color: '#ffffff',
    fontSize: 16,
    textAlign: 'center',
    backgroundColor: 'rgba(0,0,0,0.6)',
    padding: 10,
    borderRadius: 10,
    overflow: 'hidden'
  }
})
