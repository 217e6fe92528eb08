// `localllm://connect/<id>`: connects to that Server ID and shows the Connect screen.
import { Redirect, useLocalSearchParams } from 'expo-router'
import { useEffect } from 'react'
import { useSession } from '../../state/session-provider'

export default function ConnectLink() {
  const { id } = useLocalSearchParams<{ id: string }>()
  const { connect } = useSession()
  useEffect(() => {
    if (id) connect(id)
  }, [id, connect])
  return <Redirect href='/' />
}
