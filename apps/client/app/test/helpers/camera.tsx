// Stands in for expo-camera at the module edge. A test sets what the permission is and
// what asking answers, and the CameraView renders a "Simulate scan" button that fires
// onBarcodeScanned with `camera.nextScan`.
//
//   camera.permission = denied()        // before rendering the scanner
//   camera.nextScan = 'localllm://connect/…'
import { useState } from 'react'
import { Pressable, Text } from 'react-native'

interface Permission {
  granted: boolean
  status: 'granted' | 'denied' | 'undetermined'
  canAskAgain: boolean
  expires: 'never'
}

export const granted = (): Permission => ({
  granted: true,
  status: 'granted',
  canAskAgain: true,
  expires: 'never'
})
export const denied = (): Permission => ({
  granted: false,
  status: 'denied',
  canAskAgain: false,
  expires: 'never'
})
export const undetermined = (): Permission => ({
  granted: false,
  status: 'undetermined',
  canAskAgain: true,
  expires: 'never'
})

export const camera = {
  permission: granted(),
  /** What the system answers when the app asks. */
  answer: granted(),
  asked: 0,
  nextScan: '',
  reset() {
    camera.permission = granted()
    camera.answer = granted()
    camera.asked = 0
    camera.nextScan = ''
  }
}

export function useCameraPermissions() {
  const [permission, setPermission] = useState<Permission>(camera.permission)
  const request = () => {
    camera.asked++
    setPermission(camera.answer)
    return Promise.resolve(camera.answer)
  }
  return [permission, request, () => Promise.resolve(permission)] as const
}

export function CameraView(props: {
  onBarcodeScanned?: (result: { type: string; data: string }) => void
}) {
  return (
    <Pressable
      accessibilityRole='button'
      onPress={() => props.onBarcodeScanned?.({ type: 'qr', data: camera.nextScan })}
    >
      <Text>Simulate scan</Text>
    </Pressable>
  )
}
