# The seed document's third script (a CNN on CIFAR-10), with only its imports changed.
# Without ./data/cifar-10-batches-py it trains on a SYNTHETIC stand-in with CIFAR-10's shapes (and says
# so); see cifar10_standin.py. The seed uses nn, F and optim without importing them: imported here.
import jtorch as torch
from jtorch import nn, optim
import jtorch.nn.functional as F
from cifar10_standin import torchvision  # jtorch.vision; CIFAR10 falls back to the synthetic stand-in

transform = torchvision.transforms.Compose([
            torchvision.transforms.ToTensor()])
    
trainset = torchvision.datasets.CIFAR10(root='./data', train=True,
                                        download=False, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=4,
                                          shuffle=True, num_workers=2)


def inference(net, data):
    images, labels = data
    outputs = net(images)
    _, predicted = torch.max(outputs.data, 1)
    total = labels.size(0)
    correct = (predicted == labels).sum().item()
    accuracy = correct / total
    
    return 'Accuracy: {:.2f}%'.format(accuracy*100)
    
    
class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
        
    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x
        

net = CNN()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

for epoch in range(2):    
  running_loss = 0.0
  for i, data in enumerate(trainloader, 0):
      inputs, labels = data
      
      optimizer.zero_grad()

      outputs = net(inputs)
      loss = criterion(outputs, labels)
      
      loss.backward()
      optimizer.step()

      running_loss += loss.item()

  print('[%d] loss: %.3f' % (epoch+1, running_loss/len(trainloader)))
  
checkpoint = {'state_dict': net.state_dict()}
torch.save(checkpoint, './cnn.pth')

testset = torchvision.datasets.CIFAR10(root='./data', train=False,
                                      download=False, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=4,
                                         shuffle=False, num_workers=2)

correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = net(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
          
print('Test Accuracy of the model on the {} test images: {} %%'.format(total, 100 * correct / total))
