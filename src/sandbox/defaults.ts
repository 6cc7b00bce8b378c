// What `kubeseed sandbox up` does when not told otherwise.

export const DEFAULT_NAME = 'default'
export const DEFAULT_NODES = 3
export const DEFAULT_SUBNET = '10.231.0.0/24'
export const DEPLOY_USER = 'deploy'
