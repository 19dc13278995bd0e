import { defineStore } from 'pinia'

export interface Notice {
  text: string
  color?: 'success' | 'error' | 'info' | 'warning'
  timeout?: number
}

/** Short confirmations ("User added") shown by the layout's snackbar queue. */
export const useUiStore = defineStore('ui', () => {
  const notices = ref<Notice[]>([])

  function notify(text: string, color: Notice['color'] = 'success') {
    notices.value.push({ text, color, timeout: color === 'error' ? 8000 : 4000 })
  }

  return { notices, notify }
})
